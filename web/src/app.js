// The page: loads the engine, lists the built-in lessons, runs the chosen one with the controls'
// edits, and shows its figures, paragraph, challenge table and TOML. window.morsimPage exposes
// the last run and the timings (the browser tests read them).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const page = { engine: null, lessons: [], lesson: null, last: null, base: null, timings: [],
                 overrides: [], editsOf: () => [], zoom: 0, charts: MorsimCharts.charts, ready: false };
  window.morsimPage = page;

  function pct(x) { return Number.isFinite(x) ? (100 * x).toFixed(1) + "%" : "-"; }

  function showChallenges(result) {
    const box = $("challenges");
    box.textContent = "";
    result.arms.forEach((arm) => {
      if (!arm.challenges.length) return;
      const t = document.createElement("table");
      t.innerHTML = "<caption>" + arm.name + "</caption><tr><th>dose at (h)</th><th>dose</th><th>peak agonist occupancy</th>" +
        "<th>antagonist occupancy</th><th>peak effect</th><th>blockade</th></tr>";
      arm.challenges.forEach((c) => {
        const r = t.insertRow();
        [c.dose_time_h.toFixed(2), c.amount_mg.toPrecision(3) + " mg " + c.formulation, pct(c.peak_agonist_occupancy),
         pct(c.antagonist_occupancy), pct(c.peak_effect), pct(c.blockade)].forEach((v) => { r.insertCell().textContent = v; });
      });
      box.appendChild(t);
    });
  }

  function fillZoomChoices(result) {
    const sel = $("challenge");
    sel.textContent = "";
    MorsimCharts.allChallenges(result).forEach((x, i) => {
      const o = document.createElement("option");
      o.value = i;
      o.textContent = x.arm + ", " + (x.c.dose_time_h / 24).toFixed(2) + " d";
      sel.appendChild(o);
    });
    page.zoom = Math.min(page.zoom, Math.max(0, sel.options.length - 1));
    sel.value = page.zoom;
  }

  function edits() {
    return page.editsOf().concat(page.overrides.map(([p, v]) => "set:" + p + "=" + v));
  }
  page.edits = edits;

  function run() {
    const t0 = performance.now();
    const list = new page.engine.StringList();
    edits().forEach((e) => list.push_back(e));
    const r = page.engine.run(page.lesson.text, page.lesson.path, list);
    list.delete();
    const t1 = performance.now();
    if (!r.ok) {
      $("error").hidden = false;
      $("error").textContent = r.error;
      $("status").textContent = "not run: see the message";
      return null;
    }
    $("error").hidden = true;
    page.last = r;
    $("description").textContent = r.description;
    $("paragraph").textContent = r.paragraph;
    $("toml").textContent = r.toml;
    fillZoomChoices(r);
    const t2 = performance.now();
    MorsimCharts.render(r, page.zoom);
    const t3 = performance.now();
    showChallenges(r);
    const t4 = performance.now();
    // Where a change's time goes: the engine call (its stages as the engine timed them), the
    // text and TOML, the charts' data, the challenge tables, and the canvas drawing, which uPlot
    // does in a microtask queued by the charts (this one comes after it).
    const entry = { lesson: page.lesson.path, call_ms: t1 - t0, engine_ms: r.run_ms, stages: r.engine_ms,
                    text_ms: t2 - t1, charts_ms: t3 - t2, tables_ms: t4 - t3, simulated: Array.from(r.simulated) };
    queueMicrotask(() => {
      const t5 = performance.now();
      entry.draw_ms = t5 - t4;
      entry.ms = t5 - t0;
      page.timings.push(entry);
      $("status").textContent = "simulated and drawn in " + entry.ms.toFixed(0) + " ms";
    });
    return r;
  }

  let pending = false;
  function schedule() {  // one run per frame however fast a slider moves
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; run(); });
  }

  function showParameters(result) {
    const dl = $("param-list");
    dl.textContent = "";
    result.parameters.forEach((p) => {
      const o = document.createElement("option");
      o.value = p.path;
      o.label = p.value;
      dl.appendChild(o);
    });
    const ul = $("param-set");
    ul.textContent = "";
    page.overrides.forEach(([p, v], i) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "remove";
      b.setAttribute("aria-label", "remove " + p);
      b.addEventListener("click", () => { page.overrides.splice(i, 1); showParameters(result); run(); });
      li.append(p + " = " + v + " ", b);
      ul.appendChild(li);
    });
  }

  function chooseLesson(i) {
    page.lesson = page.lessons[i];
    page.overrides = [];
    page.zoom = 0;
    page.editsOf = () => [];
    const r = run();
    if (!r) return;
    page.base = r;
    page.editsOf = MorsimControls.build($("controls"), r, schedule);
    showParameters(r);
  }

  function download(name, text, type) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function stem() { return page.lesson.path.replace(/^.*\//, "").replace(/\.toml$/, ""); }

  async function start() {
    const t0 = performance.now();
    page.engine = await createMorsim();
    const ls = page.engine.lessons();
    for (let i = 0; i < ls.length; i++) page.lessons.push(ls[i]);
    page.lessons.forEach((l, i) => {
      const o = document.createElement("option");
      o.value = i;
      o.textContent = l.text.match(/name\s*=\s*"([^"]*)"/)[1];
      $("lesson").appendChild(o);
    });
    const first = Math.max(0, page.lessons.findIndex((l) => /depot/.test(l.path)));
    $("lesson").value = first;
    chooseLesson(first);
    await null;  // after uPlot's drawing, a microtask the charts queued
    page.firstRenderMs = performance.now() - t0;
    page.ready = true;
    $("lesson").addEventListener("change", (e) => chooseLesson(+e.target.value));
    $("challenge").addEventListener("change", (e) => { page.zoom = +e.target.value; MorsimCharts.render(page.last, page.zoom); });
    $("reset").addEventListener("click", () => chooseLesson(+$("lesson").value));
    $("projector").addEventListener("click", (e) => {
      const on = document.body.classList.toggle("projector");
      e.target.setAttribute("aria-pressed", String(on));
      MorsimCharts.render(page.last, page.zoom);
    });
    $("parameters").addEventListener("submit", () => {
      const p = $("param-path").value.trim(), v = $("param-value").value.trim();
      if (!p || !v) return;
      page.overrides = page.overrides.filter(([q]) => q !== p).concat([[p, v]]);
      showParameters(page.base);
      run();
    });
    $("download-toml").addEventListener("click", () => download(stem() + ".toml", page.last.toml, "application/toml"));
    $("download-csv").addEventListener("click", () => download(stem() + ".csv", page.engine.csv(), "text/csv"));
  }

  start().catch((e) => { $("status").textContent = "the engine did not load: " + e; console.error(e); });
})();
