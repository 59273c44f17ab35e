// Browser tests of the classroom page in headless Chromium (Debian's, driven by playwright-core):
// it loads without console errors, every lesson renders, a control changes the plot, its numbers
// and CSV equal `morsim run` + `morsim export --csv` on the same config, and its TOML runs in
// `morsim run`. Prints the timings (control change, first render) and the script size.
// Usage: node web/tests/page.test.mjs DIST_DIR MORSIM_BIN
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, morsim] = process.argv.slice(2).map((p) => path.resolve(p));
let failures = 0;
function check(ok, what) {
  console.log((ok ? "ok   " : "FAIL ") + what);
  if (!ok) failures++;
}

// `morsim run` then `export --csv` on a config: {arm: {column: [numbers]}} (with time_h
// whatever the export's time unit), each arm's header and the paragraph.
function cli(configPath) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "morsim-web-"));
  const h5 = path.join(dir, "run.h5");
  const out = execFileSync(morsim, ["run", configPath, "-o", h5], { encoding: "utf8" });
  execFileSync(morsim, ["export", h5, "--csv", path.join(dir, "csv"), "-q"]);
  const arms = {}, headers = {};
  for (const f of fs.readdirSync(path.join(dir, "csv"))) {
    if (!f.endsWith(".csv") || f.endsWith("-doses.csv") || f === "challenges.csv") continue;
    const [head, ...rows] = fs.readFileSync(path.join(dir, "csv", f), "utf8").trim().split("\n");
    const cols = head.split(",");
    const table = Object.fromEntries(cols.map((c) => [c, []]));
    for (const r of rows) r.split(",").forEach((v, i) => table[cols[i]].push(v === "" ? NaN : +v));
    // The export's time is in the run's unit (min, h or d); the page's arrays are in hours.
    const unit = cols.find((c) => /^time_(min|h|d)$/.test(c));
    const hours = { time_min: 1 / 60, time_h: 1, time_d: 24 }[unit];
    table.time_h = table[unit].map((t) => t * hours);
    arms[f.slice(0, -4)] = table;
    headers[f.slice(0, -4)] = cols;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { arms, headers, stdout: out };
}

function close(a, b) {  // the CSV holds 10 significant digits
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

// Largest mismatch between the page's arms and the CLI's tables, in units of the tolerance.
function compareArms(pageArms, cliArms) {
  const problems = [];
  for (const arm of pageArms) {
    const t = cliArms[arm.name];
    if (!t) { problems.push("no CLI arm " + arm.name); continue; }
    if (t.time_h.length !== arm.t_h.length) { problems.push(arm.name + ": " + arm.t_h.length + " vs " + t.time_h.length + " samples"); continue; }
    const cols = [["time_h", arm.t_h, 1]];
    arm.compounds.forEach((c, k) => cols.push(["plasma_" + c + "_nM", arm.plasma_nM[k], 1],
      ["brain_" + c + "_nM", arm.brain_nM[k], 1], ["occupancy_" + c + "_percent", arm.occupancy[k], 100]));
    cols.push(["free_receptor_percent", arm.free_receptor, 100], ["effect_percent", arm.effect, 100]);
    for (const [name, values, f] of cols)
      for (let i = 0; i < values.length; i++)
        if (!close(f * values[i], t[name][i])) { problems.push(`${arm.name}.${name}[${i}]: ${f * values[i]} vs ${t[name][i]}`); break; }
  }
  return problems;
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
                                        args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ acceptDownloads: true });
const errors = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));

const t0 = Date.now();
await page.goto(pathToFileURL(path.join(dist, "index.html")).href);
await page.waitForFunction(() => window.morsimPage && window.morsimPage.ready, null, { timeout: 20000 });
const firstRenderMs = Date.now() - t0;
const firstInPage = await page.evaluate(() => window.morsimPage.firstRenderMs);
check(errors.length === 0, "the page loads with no console errors " + (errors.length ? errors.join(" | ") : ""));

const lessons = await page.evaluate(() => window.morsimPage.lessons.map((l) => l.path));
check(lessons.length >= 5, lessons.length + " lessons listed");
const root = path.resolve(dist, "..", "..");
for (let i = 0; i < lessons.length; i++) {
  await page.selectOption("#lesson", String(i));
  const s = await page.evaluate(() => {
    const p = window.morsimPage, occ = p.charts.occupancy;
    return { ok: !!(p.last && p.lesson === p.lessons[+document.getElementById("lesson").value]),
             points: occ ? occ.data[0].length : 0, paragraph: document.getElementById("paragraph").textContent,
             error: document.getElementById("error").hidden ? "" : document.getElementById("error").textContent };
  });
  check(s.ok && s.points > 10 && s.paragraph.length > 50 && !s.error, `${lessons[i]} renders (${s.points} points) ${s.error}`);
  // The same numbers and paragraph as the command line on the same config.
  const pageArms = await page.evaluate(() => window.morsimPage.last.arms.map((a) => ({ name: a.name, compounds: a.compounds,
    t_h: Array.from(a.t_h), plasma_nM: a.plasma_nM.map((c) => Array.from(c)), brain_nM: a.brain_nM.map((c) => Array.from(c)),
    occupancy: a.occupancy.map((c) => Array.from(c)), free_receptor: Array.from(a.free_receptor), effect: Array.from(a.effect) })));
  const c = cli(path.join(root, lessons[i]));
  const problems = compareArms(pageArms, c.arms);
  check(problems.length === 0, `${lessons[i]}: page numbers equal morsim run's to 1e-6 ${problems.slice(0, 3).join("; ")}`);
  check(c.stdout.includes(s.paragraph.trim()), `${lessons[i]}: the paragraph equals morsim run's`);
}

// The depot lesson: move its first control (the depot dose), time each change.
const depot = lessons.findIndex((l) => /depot/.test(l));
await page.selectOption("#lesson", String(depot));
const before = await page.evaluate(() => window.morsimPage.charts.occupancy.data.slice(1).flatMap((c) => Array.from(c)));
const slider = page.locator("#controls fieldset", { hasText: "depot" }).locator("input[type=range]").first();
await slider.focus();
const times = [];  // page.timings entries: the whole change and its parts
for (let k = 0; k < 20; k++) {
  const n = await page.evaluate(() => window.morsimPage.timings.length);
  await page.keyboard.press("ArrowLeft");  // keyboard: the control is operable
  await page.waitForFunction((m) => window.morsimPage.timings.length > m, n);
  times.push(await page.evaluate(() => window.morsimPage.timings.at(-1)));
}
const after = await page.evaluate(() => window.morsimPage.charts.occupancy.data.slice(1).flatMap((c) => Array.from(c)));
const changed = before.length !== after.length || before.some((v, i) => v !== after[i]);
check(changed, "moving the depot dose control changes the plotted occupancy");
const toml = await page.evaluate(() => window.morsimPage.last.toml);
if (process.env.MORSIM_WEB_DEBUG) console.log(toml);
check(/amount = ["'](3[0-7]\d)(\.\d+)? mg["']/.test(toml) && !/amount = ["']380 mg/.test(toml) && /amount = ["']25 mg/.test(toml), "the TOML shows the changed depot dose");

// The arm cache: a change re-simulates only the arms it can affect. After each change the
// arms kept are the same numbers as before, and the whole run (arms, challenges, paragraph,
// plotted series) equals a run of the same edits with the cache off.
async function cacheCheck(what, change, wantSimulated) {
  const before = await page.evaluate(() => window.morsimPage.last.arms.map(window.dumpArm));
  const n = await page.evaluate(() => window.morsimPage.timings.length);
  await change();
  await page.waitForFunction((m) => window.morsimPage.timings.length > m, n);
  const r = await page.evaluate(() => {
    const p = window.morsimPage, e = p.engine;
    const dump = (run) => run.arms.map(window.dumpArm);
    const plotted = () => JSON.stringify(Object.keys(p.charts).sort().map((k) => p.charts[k].data.map((c) => Array.from(c))));
    const cached = p.last, cachedPlot = plotted();
    e.setArmCache(false);
    const list = new e.StringList();
    p.edits().forEach((x) => list.push_back(x));
    const fresh = e.run(p.lesson.text, p.lesson.path, list);
    list.delete();
    e.setArmCache(true);
    MorsimCharts.render(fresh, p.zoom);
    const freshPlot = plotted();
    MorsimCharts.render(cached, p.zoom);
    return { names: cached.arms.map((a) => a.name), simulated: Array.from(cached.simulated), reused: Array.from(cached.reused),
             cached: dump(cached), fresh: dump(fresh), samePlot: cachedPlot === freshPlot,
             sameText: cached.paragraph === fresh.paragraph && JSON.stringify(cached.values) === JSON.stringify(fresh.values),
             freshSimulated: Array.from(fresh.simulated) };
  });
  check(JSON.stringify(r.simulated) === JSON.stringify(wantSimulated) && r.freshSimulated.length === r.names.length,
        `${what}: re-simulates ${JSON.stringify(r.simulated)} (want ${JSON.stringify(wantSimulated)}), reuses ${JSON.stringify(r.reused)}`);
  const kept = r.names.filter((a, i) => !r.simulated.includes(a) && i < before.length);
  check(kept.every((a) => before[r.names.indexOf(a)] === r.cached[r.names.indexOf(a)]), `${what}: the arms reused (${kept.join(", ")}) hold the same numbers as before`);
  check(r.cached.every((x, i) => x === r.fresh[i]) && r.cached.length === r.fresh.length, `${what}: every arm equals a run without the cache`);
  check(r.samePlot && r.sameText, `${what}: the plotted series, paragraph and values equal those of a run without the cache`);
}
await page.evaluate(() => {  // an arm's numbers as text, exact (JSON keeps every double)
  const cols = (x) => x.map((c) => Array.from(c));
  window.dumpArm = (a) => JSON.stringify([a.name, Array.from(a.t_h), cols(a.plasma_nM), cols(a.brain_nM), cols(a.occupancy),
                                          Array.from(a.free_receptor), Array.from(a.effect), a.challenges]);
});
await cacheCheck("depot dose", () => page.keyboard.press("ArrowLeft"), ["naltrexone"]);

// The exported TOML runs in `morsim run`, with the page's numbers.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "morsim-web-"));
const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#download-toml")]);
const tomlPath = path.join(dir, "edited.toml");
await dl.saveAs(tomlPath);
let ran = null;
try { ran = cli(tomlPath); } catch (e) { check(false, "the exported TOML runs in morsim run: " + e.message); }
if (ran) {
  const pageArms = await page.evaluate(() => window.morsimPage.last.arms.map((a) => ({ name: a.name, compounds: a.compounds,
    t_h: Array.from(a.t_h), plasma_nM: a.plasma_nM.map((c) => Array.from(c)), brain_nM: a.brain_nM.map((c) => Array.from(c)),
    occupancy: a.occupancy.map((c) => Array.from(c)), free_receptor: Array.from(a.free_receptor), effect: Array.from(a.effect) })));
  const problems = compareArms(pageArms, ran.arms);
  check(problems.length === 0, "the exported TOML runs in morsim run and gives the page's numbers " + problems.slice(0, 3).join("; "));
  // The CSV download holds the same numbers as `morsim export --csv`.
  const [csvDl] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  const csvPath = path.join(dir, "page.csv");
  await csvDl.saveAs(csvPath);
  const [head, ...rows] = fs.readFileSync(csvPath, "utf8").trim().split("\n");
  const cols = head.split(",");
  const seen = {};
  let bad = "";
  for (const r of rows) {
    const cells = r.split(","), arm = cells[0], i = (seen[arm] = (seen[arm] ?? -1) + 1);
    for (let j = 1; j < cols.length && !bad; j++) {
      const want = ran.arms[arm]?.[cols[j]]?.[i];
      const got = cells[j] === "" ? NaN : +cells[j];
      if (want === undefined || !close(got, want)) bad = `${arm} ${cols[j]}[${i}]: ${got} vs ${want}`;
    }
  }
  check(head === "arm," + ran.headers[rows[0].split(",")[0]].join(","), "the CSV download has the columns of morsim export --csv " + head.slice(0, 40));
  check(!bad && rows.length > 100, "the CSV download equals morsim export --csv " + bad);
}
fs.rmSync(dir, { recursive: true, force: true });

// Projector mode and a parameter change by path.
await page.click("#projector");
check(await page.evaluate(() => document.body.classList.contains("projector")), "projector mode switches on");
const occBefore = await page.evaluate(() => window.morsimPage.charts.occupancy.data.slice(1).flatMap((c) => Array.from(c)));
await page.fill("#param-path", "naltrexone.ke0");
await page.fill("#param-value", "0.2 /h");
await page.click("#param-apply");
const p = await page.evaluate(() => ({ toml: window.morsimPage.last.toml, occ: window.morsimPage.charts.occupancy.data.slice(1).flatMap((c) => Array.from(c)) }));
check(/naltrexone\.ke0["']? = ["']0\.2 \/h["']/.test(p.toml) && p.occ.some((v, i) => v !== occBefore[i]),
      "a parameter set by path goes into [overrides] and changes the plot");
// A parameter of a compound only the treated arm doses, of one both arms dose, the binding mode.
const setParam = async (path_, value) => { await page.fill("#param-path", path_); await page.fill("#param-value", value); await page.click("#param-apply"); };
await cacheCheck("naltrexone.ki", () => setParam("naltrexone.ki", "0.5 nM"), ["naltrexone"]);
await cacheCheck("heroin.ke0", () => setParam("heroin.ke0", "30 /h"), ["control", "naltrexone"]);
await cacheCheck("binding mode", () => page.selectOption("#ctl-mode", "equilibrium"), ["control", "naltrexone"]);
await cacheCheck("depot dose in equilibrium mode", async () => { await slider.focus(); await page.keyboard.press("ArrowRight"); }, ["naltrexone"]);
check(errors.length === 0, "no console errors during the session " + errors.join(" | "));

const median = (xs) => { const v = [...xs].sort((a, b) => a - b); return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
const ms = (pick) => median(times.map(pick)).toFixed(1) + "/" + Math.max(...times.map(pick)).toFixed(1);
const all = times.map((t) => t.ms).sort((a, b) => a - b);
const size = fs.readdirSync(dist).filter((f) => f.endsWith(".js")).reduce((s, f) => s + fs.statSync(path.join(dist, f)).size, 0);
const wasm = fs.statSync(path.join(dist, "morsim.js")).size;
console.log(`timing: control change on the depot lesson (re-simulate, paragraph, redraw), ${times.length} changes: ` +
            `median ${median(all).toFixed(1)} ms, min ${all[0].toFixed(1)}, max ${all.at(-1).toFixed(1)}; ` +
            `first render ${firstRenderMs} ms (page load to the depot lesson drawn; in the page ${firstInPage.toFixed(0)} ms); ` +
            `scripts ${(size / 1e6).toFixed(2)} MB (morsim.js with the wasm inlined ${(wasm / 1e6).toFixed(2)} MB); ` +
            `load average ${os.loadavg()[0].toFixed(1)}`);
const stages = Object.keys(times[0].stages || {});
console.log(`timing: by part, median/max ms: engine call ${ms((t) => t.call_ms)}, of it in the engine ${ms((t) => t.engine_ms)} (` +
            stages.map((k) => `${k} ${ms((t) => t.stages[k])}`).join(", ") +
            `), text ${ms((t) => t.text_ms)}, charts' data ${ms((t) => t.charts_ms)}, tables ${ms((t) => t.tables_ms)}, ` +
            `canvas drawing ${ms((t) => t.draw_ms)}; arms re-simulated: ${[...new Set(times.map((t) => t.simulated.join("+")))].join(", ")}`);
await browser.close();
process.exit(failures ? 1 : 0);
