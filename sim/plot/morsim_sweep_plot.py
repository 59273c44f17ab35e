#!/usr/bin/env python3
"""Figure of a `morsim sweep` file: one metric over the swept parameters. A grid over two
parameters is a heatmap; over one, a line; over more, a heatmap of the first two at the first
value of the others (the title says so). Sampled designs (random, lhs, sobol) are scatter
plots of the first two parameters coloured by the metric. Fractions (unit "1") are shown in %,
times of more than three days in days. Failed scenarios (NaN) are left blank.

Drawn by morsim_plot.py, which recognises the file (`morsim plot sweep.h5 -o s.png
[--metric NAME]`). Also runs on its own, with the options of morsim_plot.py:

    python3 sim/plot/morsim_sweep_plot.py sweep.h5 -o sweep.png --metric peak
"""
import os
import sys

try:
    import numpy as np
except ImportError as e:
    print(f"morsim_plot: this Python ({sys.executable}) lacks {e.name}", file=sys.stderr)
    sys.exit(3)

import morsim_colors as mc

DAYS_ABOVE_H = 72.0


def strings(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.atleast_1d(values)]


def display(values, unit):
    """Values and label unit as shown: fractions in %, long times in days."""
    if unit == "1":
        return 100.0 * values, "%"
    if unit == "h" and np.nanmax(np.abs(values)) > DAYS_ABOVE_H:
        return values / 24.0, "d"
    return values, unit


def label(name, unit):
    return f"{name} ({unit})" if unit and unit != "1" else name


def is_log_spaced(values):
    v = np.unique(values)
    if v.size < 3 or np.any(v <= 0):
        return False
    r = v[1:] / v[:-1]
    # Evenly spaced in log, not in linear units (a linear range is both when n < 3).
    return bool(np.allclose(r, r[0], rtol=1e-6)
                and not np.allclose(np.diff(v), v[1] - v[0], rtol=1e-6))


def read(f, metric, error):
    g = f["sweep"]
    names = strings(g["parameter"][()])
    metrics = strings(g["metric"][()])
    if not metrics:
        raise error("holds no metrics")
    if metric and metric not in metrics:
        raise error(f"no metric named {metric} (metrics: {', '.join(metrics)})")
    m = metrics.index(metric) if metric else 0
    punits = strings(g["parameters"].attrs.get("units", [""] * len(names)))
    munits = strings(g["metrics"].attrs.get("units", [""] * len(metrics)))
    p = np.asarray(g["parameters"][()], dtype=float).reshape(-1, len(names))
    y = np.asarray(g["metrics"][()], dtype=float).reshape(p.shape[0], -1)[:, m]
    design = f.attrs.get("design", b"grid")
    design = design.decode() if isinstance(design, bytes) else str(design)
    return {"names": names, "punits": punits, "p": p, "metric": metrics[m],
            "munit": munits[m], "y": y, "design": design}


def slice_grid(d):
    """Rows at the first value of every parameter after the second; the title names them."""
    keep = np.ones(d["p"].shape[0], dtype=bool)
    fixed = []
    for j in range(2, len(d["names"])):
        first = d["p"][0, j]
        keep &= d["p"][:, j] == first
        v, u = display(np.array([first]), d["punits"][j])
        fixed.append(f"{d['names'][j]} = {v[0]:.4g} {u}".rstrip())
    return keep, fixed


def heatmap(ax, fig, d, rows, cbar_label):
    x_raw, y_raw = d["p"][rows, 1], d["p"][rows, 0]
    xs, ys = np.unique(x_raw), np.unique(y_raw)
    z = np.full((ys.size, xs.size), np.nan)
    z[np.searchsorted(ys, y_raw), np.searchsorted(xs, x_raw)] = d["yv"][rows]
    xd, xu = display(xs, d["punits"][1])
    yd, yu = display(ys, d["punits"][0])
    mesh = ax.pcolormesh(edges(xd), edges(yd), z, cmap="viridis", shading="flat")
    if is_log_spaced(xs):
        ax.set_xscale("log")
    if is_log_spaced(ys):
        ax.set_yscale("log")
    ax.set_xlabel(label(d["names"][1], xu))
    ax.set_ylabel(label(d["names"][0], yu))
    fig.colorbar(mesh, ax=ax, label=cbar_label)


def edges(v):
    """Cell edges around sorted centres (geometric midpoints for log-spaced values)."""
    if v.size == 1:
        return np.array([v[0] * 0.9, v[0] * 1.1]) if v[0] else np.array([-0.5, 0.5])
    if is_log_spaced(v):
        lv = np.log(v)
        mid = (lv[1:] + lv[:-1]) / 2
        return np.exp(np.concatenate([[2 * lv[0] - mid[0]], mid, [2 * lv[-1] - mid[-1]]]))
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])


def make_figure(f, opts, error):
    import matplotlib.pyplot as plt

    d = read(f, opts.metric, error)
    d["yv"], yu = display(d["y"], d["munit"])
    ylab = label(d["metric"], yu)
    fig = mc.new_figure(plt, opts.size)
    left, bottom = mc.px(fig, 130, "w"), mc.px(fig, 100)
    ax = fig.add_axes([left, bottom, 1 - left - mc.px(fig, 40, "w"),
                       1 - bottom - mc.px(fig, 120)])
    path = f.attrs.get("sweep_path", b"")
    name = os.path.basename(path.decode() if isinstance(path, bytes) else str(path)) or "sweep"
    title = opts.title or f"{name}: {d['metric']}"
    if len(d["names"]) == 0:
        raise error("holds no parameters")
    if d["design"] != "grid":
        sampled(ax, fig, d, ylab)
    elif len(d["names"]) == 1:
        order = np.argsort(d["p"][:, 0])
        x, xu = display(d["p"][order, 0], d["punits"][0])
        ax.plot(x, d["yv"][order], "o-", color=mc.arm_color(0), gid=d["metric"])
        if is_log_spaced(d["p"][:, 0]):
            ax.set_xscale("log")
        ax.set_xlabel(label(d["names"][0], xu))
        ax.set_ylabel(ylab)
        ax.grid(alpha=0.3)
    else:
        rows, fixed = slice_grid(d)
        heatmap(ax, fig, d, rows, ylab)
        if fixed and not opts.title:
            title += " at " + ", ".join(fixed)
    if not int(np.asarray(f.attrs.get("complete", 1)).reshape(-1)[0]):
        title += " (incomplete sweep)"
    ax.set_title(title, loc="left")
    return fig


def sampled(ax, fig, d, ylab):
    """A sampled design has no grid: every scenario is a point."""
    x, xu = display(d["p"][:, 0], d["punits"][0])
    if len(d["names"]) == 1:
        ax.plot(x, d["yv"], "o", color=mc.arm_color(0), gid=d["metric"])
        ax.set_ylabel(ylab)
    else:
        y, yu = display(d["p"][:, 1], d["punits"][1])
        sc = ax.scatter(x, y, c=d["yv"], cmap="viridis", s=30)
        ax.set_ylabel(label(d["names"][1], yu))
        fig.colorbar(sc, ax=ax, label=ylab)
    ax.set_xlabel(label(d["names"][0], xu))
    ax.grid(alpha=0.3)


if __name__ == "__main__":
    import morsim_plot
    sys.exit(morsim_plot.main())
