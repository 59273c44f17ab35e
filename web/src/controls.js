// The controls a teacher changes live, built from the lesson's own dose records (by formulation,
// never by lesson name): each dose's amount, the challenges' time, missed tablets, the binding
// mode. Each control yields an edit for the engine ("amount:heroin-iv=25", see api/edit_config).
"use strict";
window.MorsimControls = (function () {
  let uid = 0;
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(x) { return Number(x.toPrecision(4)).toString(); }

  function range(form, label, value, min, max, step, unit, onEdit) {
    const id = "ctl-" + (uid++);
    const l = el("label", { for: id }, label + " ");
    const out = el("output", { for: id }, fmt(value) + " " + unit);
    l.appendChild(out);
    const input = el("input", { id, type: "range", min, max, step, value });
    input.addEventListener("input", () => { out.textContent = fmt(+input.value) + " " + unit; onEdit(); });
    form.append(l, input);
    return input;
  }

  // Builds the controls for a run's description; returns a function giving the current edits.
  function build(form, result, onEdit) {
    form.textContent = "";
    const groups = new Map();  // formulation -> its records (over all arms)
    result.doses.forEach((d) => { if (d.formulation && d.amount_mg > 0) { if (!groups.has(d.formulation)) groups.set(d.formulation, []); groups.get(d.formulation).push(d); } });
    const editors = [];
    const days = result.end_h - result.start_h > 72;
    const injection = result.doses.find((d) => !d.agonist && d.addl === 0 && !d.steady_state && /depot/.test(d.route));
    groups.forEach((recs, f) => {
      const d0 = recs[0];
      const fs = el("fieldset");
      fs.appendChild(el("legend", {}, d0.compound + " (" + f + ")"));
      const step = d0.amount_mg / 100;  // the minimum is one step, so the dose lies on the grid
      const amount = range(fs, "dose", d0.amount_mg, step, d0.amount_mg * 4, step, "mg", onEdit);
      editors.push(() => (+amount.value !== d0.amount_mg ? ["amount:" + f + "=" + amount.value] : []));
      if (d0.agonist && !d0.steady_state) {
        const last = Math.max(...recs.map((r) => r.time_h + r.addl * r.ii_h));
        const latest = result.end_h - 1 - (last - d0.time_h);
        const base = injection ? injection.time_h : 0;
        const scale = days ? 24 : 1;
        const label = injection ? "first challenge: days since the injection" : "first dose at (" + (days ? "day" : "hour") + ")";
        const time = range(fs, label, (d0.time_h - base) / scale, 0, Math.max(0, (latest - base) / scale),
                           days ? 0.25 : 0.25, days ? "d" : "h", onEdit);
        editors.push(() => { const t = base + time.value * scale; return t !== d0.time_h ? ["time:" + f + "=" + t] : []; });
      }
      const repeated = recs.find((r) => r.addl > 0 && !r.agonist && !r.steady_state);
      if (repeated) {
        const box = el("div", { class: "missed", role: "group", "aria-label": "missed doses of " + f });
        box.appendChild(el("span", {}, "missed doses (day): "));
        const checks = [];
        for (let i = 0; i <= repeated.addl; i++) {
          const id = "ctl-" + (uid++);
          const c = el("input", { id, type: "checkbox" });
          c.checked = repeated.missed.includes(i);
          c.addEventListener("change", onEdit);
          const l = el("label", { for: id });
          l.append(c, " " + fmt((repeated.time_h + i * repeated.ii_h) / 24 + 1));
          box.appendChild(l);
          checks.push(c);
        }
        fs.appendChild(box);
        const initial = repeated.missed.join(",");
        editors.push(() => { const m = checks.map((c, i) => (c.checked ? i : -1)).filter((i) => i >= 0).join(","); return m !== initial ? ["missed:" + f + "=" + m] : []; });
      }
      form.appendChild(fs);
    });
    const id = "ctl-mode";
    form.appendChild(el("label", { for: id }, "binding mode"));
    const mode = el("select", { id });
    ["kinetic", "equilibrium"].forEach((m) => { const o = el("option", { value: m }, m); if (m === result.mode) o.selected = true; mode.appendChild(o); });
    mode.addEventListener("change", onEdit);
    form.appendChild(mode);
    editors.push(() => (mode.value !== result.mode ? ["mode=" + mode.value] : []));
    return () => editors.flatMap((e) => e());
  }

  return { build };
})();
