// The lesson's figures with uPlot: occupancy, effect and plasma over the whole run for every
// arm, and a zoom on one challenge. Arms have their own time grids; uPlot.join aligns them.
"use strict";
window.MorsimCharts = (function () {
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
  const charts = {};

  function sum(arm, pick) {  // summed occupancy of the agonists (pick true) or antagonists
    const n = arm.t_h.length, out = new Float64Array(n);
    arm.occupancy.forEach((col, k) => {
      if (arm.agonist[k] !== pick) return;
      for (let i = 0; i < n; i++) out[i] += col[i];
    });
    return out;
  }

  function scaled(a, f) { const o = new Float64Array(a.length); for (let i = 0; i < a.length; i++) o[i] = a[i] * f; return o; }

  function draw(key, el, tables, series, opts) {
    const data = uPlot.join(tables);
    const width = Math.max(320, el.clientWidth || 600);
    const options = Object.assign({
      width, height: document.body.classList.contains("projector") ? 360 : 220,
      scales: { x: { time: false } },
      series: [{ label: opts.xLabel }].concat(series),
      axes: [{ label: opts.xLabel }, { label: opts.yLabel }],
      legend: { live: false },
    }, opts.extra || {});
    // The same series at the same size (a control change): new data into the chart drawn,
    // far cheaper than building it again.
    const shape = JSON.stringify([width, options.height, options.series.map((s) => [s.label, s.stroke, s.dash])]);
    if (charts[key] && charts[key].morsimShape === shape) { charts[key].setData(data); return; }
    if (charts[key]) charts[key].destroy();
    el.textContent = "";
    charts[key] = new uPlot(options, data, el);
    charts[key].morsimShape = shape;
  }

  // result: the engine's run; zoomIndex: which challenge (over all arms) to zoom on.
  function render(result, zoomIndex) {
    const days = result.end_h - result.start_h > 72;
    const unit = days ? 24 : 1, xLabel = days ? "time (d)" : "time (h)";
    const occTables = [], occSeries = [], effTables = [], effSeries = [], plTables = [], plSeries = [];
    result.arms.forEach((arm, j) => {
      const x = scaled(arm.t_h, 1 / unit), color = palette[j % palette.length];
      occTables.push([x, scaled(sum(arm, true), 100), scaled(sum(arm, false), 100)]);
      occSeries.push({ label: arm.name + " agonists", stroke: color, spanGaps: true },
                     { label: arm.name + " antagonists", stroke: color, dash: [6, 4], spanGaps: true });
      if (arm.effect_modelled) {
        effTables.push([x, scaled(arm.effect, 100)]);
        effSeries.push({ label: arm.name, stroke: color, spanGaps: true });
      }
    });
    // Plasma: every compound of the last scenario arm (the treated one in two-arm lessons).
    const arm = result.arms[Math.max(0, result.arms.length - 1)];
    const xp = scaled(arm.t_h, 1 / unit);
    arm.compounds.forEach((c, k) => {
      const y = arm.plasma_nM[k].map((v) => (v > 1e-6 ? v : NaN));
      plTables.push([xp, y]);
      plSeries.push({ label: arm.name + ": " + c, stroke: palette[k % palette.length], spanGaps: true });
    });
    draw("occupancy", document.getElementById("fig-occupancy"), occTables, occSeries, { xLabel, yLabel: "%" });
    if (effTables.length) draw("effect", document.getElementById("fig-effect"), effTables, effSeries, { xLabel, yLabel: "%" });
    draw("plasma", document.getElementById("fig-plasma"), plTables, plSeries,
         { xLabel, yLabel: "nM", extra: { scales: { x: { time: false }, y: { distr: 3 } } } });
    renderZoom(result, zoomIndex);
  }

  function allChallenges(result) {
    const out = [];
    result.arms.forEach((arm) => arm.challenges.forEach((c) => out.push({ arm: arm.name, c })));
    return out;
  }

  function renderZoom(result, zoomIndex) {
    const list = allChallenges(result);
    const el = document.getElementById("fig-zoom");
    if (!list.length) { el.textContent = "no agonist challenge in this lesson"; if (charts.zoom) { charts.zoom.destroy(); delete charts.zoom; } return; }
    const pick = list[Math.min(zoomIndex, list.length - 1)].c;
    const t0 = pick.dose_time_h, t1 = t0 + 6;
    const tables = [], series = [];
    result.arms.forEach((arm, j) => {
      const occ = sum(arm, true), xs = [], ys = [];
      for (let i = 0; i < arm.t_h.length; i++)
        if (arm.t_h[i] >= t0 - 0.5 && arm.t_h[i] <= t1) { xs.push((arm.t_h[i] - t0) * 60); ys.push(100 * occ[i]); }
      if (xs.length) { tables.push([xs, ys]); series.push({ label: arm.name + " agonists", stroke: palette[j % palette.length], spanGaps: true }); }
    });
    draw("zoom", el, tables, series, { xLabel: "minutes after the dose", yLabel: "agonist occupancy %" });
  }

  return { render, allChallenges, charts };
})();
