#!/usr/bin/env python3
"""Figure of a `morsim fit` file: one panel per dataset. Time courses (statistics value and
relative) show the observations with error bars (+-sigma) over the model curve of each arm at
the estimate; window statistics (peak, AUC, half-life, ...) show observed and model side by
side per row.

Usage: morsim_fit_plot.py --output=FIG.png [--format=png] [--title=T] -- FIT.h5
Run by `morsim fit --plot` (sim/fit/fit_file.cpp); also works standalone.
"""
import argparse
import math
import sys

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; must precede pyplot

import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def strings(ds):
    return [text(x) for x in ds[()]]


def time_course(ax, f, name, g):
    t = g["time_h"][()]
    obs, sig = g["observed"][()], g["sigma"][()]
    arms = strings(g["arm"])
    curves = f["fit/curves"][name]
    t_max = max([np.nanmax(t)] + [curves[a]["t_h"][-1] for a in curves])
    scale, label = (24.0, "time (d)") if t_max > 72 else (1.0, "time (h)")
    log = int(g.attrs["log"]) == 1
    for i, arm in enumerate(curves):
        c = COLOURS[i % len(COLOURS)]
        tt, y = curves[arm]["t_h"][()], curves[arm]["model"][()]
        if log:
            y = np.where(y > 0, y, np.nan)
        ax.plot(tt / scale, y, color=c, lw=1.3, label=f"model, {arm}")
        sel = np.array([a == arm for a in arms])
        if sel.any():
            ax.errorbar(t[sel] / scale, obs[sel], yerr=sig[sel], fmt="o", ms=4, color=c,
                        capsize=2, label=f"observed, {arm}")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(label)


def summary(ax, g):
    obs, sig, model = g["observed"][()], g["sigma"][()], g["model"][()]
    groups, arms = strings(g["group"]), strings(g["arm"])
    labels = [gr or arm for gr, arm in zip(groups, arms)]
    x = np.arange(len(obs))
    ax.errorbar(x - 0.12, obs, yerr=sig, fmt="o", color=COLOURS[0], capsize=3, label="observed")
    ax.plot(x + 0.12, model, "s", color=COLOURS[1], label="model")
    ax.set_xticks(x)
    ax.set_xticklabels(labels, rotation=30 if len(x) > 3 else 0, ha="right" if len(x) > 3 else "center")
    ax.set_xlim(-0.6, len(x) - 0.4)
    if int(g.attrs["log"]) == 1:
        ax.set_yscale("log")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--output", required=True)
    ap.add_argument("--format", default=None)
    ap.add_argument("--title", default=None)
    ap.add_argument("fit")
    a = ap.parse_args()
    with h5py.File(a.fit, "r") as f:
        if text(f.attrs.get("filetype", "")) != "morsim-fit":
            sys.exit(f"{a.fit}: not a morsim fit file")
        names = [text(x) for x in f["fit"].attrs["datasets"]]
        cols = 1 if len(names) == 1 else 2
        rows = math.ceil(len(names) / cols)
        fig, axes = plt.subplots(rows, cols, figsize=(6.4 * cols, 4.2 * rows), squeeze=False,
                                 constrained_layout=True)
        for ax, name in zip(axes.flat, names):
            g = f["fit/datasets"][name]
            stat, quantity = text(g.attrs["statistic"]), text(g.attrs["quantity"])
            unit = text(g.attrs["unit"])
            if stat in ("value", "relative"):
                time_course(ax, f, name, g)
            else:
                summary(ax, g)
            what = quantity if stat == "value" else f"{quantity} {stat.replace('_', ' ')}"
            ax.set_ylabel(what if unit in ("1", "") else f"{what} ({unit})")
            ax.set_title(name)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
        for ax in list(axes.flat)[len(names):]:
            ax.set_visible(False)
        fit = f["fit"].attrs
        title = a.title or text(f.attrs["name"])
        fig.suptitle(f"{title}: objective {float(fit['objective']):.4g}, reduced chi-square "
                     f"{float(fit['reduced_chi_square']):.3g}")
        fig.savefig(a.output, format=a.format, dpi=110)


if __name__ == "__main__":
    main()
