#!/usr/bin/env python3
"""Figure of a `morsim population` file: percentile bands of antagonist and agonist occupancy
per arm, and the distribution of protected days across subjects.

Usage: morsim_population_plot.py --output=FIG.png [--format=png] -- RESULTS.h5
Run by `morsim demo population` (sim/io/population_plot.cpp); also works standalone.
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; must precede pyplot

import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def bands(ax, t_d, q, data, colour, label):
    """5-95 and 25-75 percentile bands and the median line."""
    idx = {p: i for i, p in enumerate(q)}
    ax.fill_between(t_d, data[idx[5.0]], data[idx[95.0]], color=colour, alpha=0.15, lw=0)
    ax.fill_between(t_d, data[idx[25.0]], data[idx[75.0]], color=colour, alpha=0.3, lw=0)
    ax.plot(t_d, data[idx[50.0]], color=colour, lw=1.2, label=label)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--output", required=True)
    ap.add_argument("--format", default=None)
    ap.add_argument("results")
    a = ap.parse_args()
    with h5py.File(a.results, "r") as f:
        arms = [text(x) for x in f.attrs["arms"]]
        blocked = float(f.attrs["blocked_occupancy"])
        n = int(f.attrs["subjects"])
        title = text(f.attrs["scenario"])
        fig, axes = plt.subplots(3, 1, figsize=(10, 10), constrained_layout=True)
        for i, arm in enumerate(arms):
            g = f["arms"][arm]
            t_d = g["time"][:] / 24.0
            q = list(g["percentile"][:])
            c = COLOURS[i % len(COLOURS)]
            bands(axes[0], t_d, q, g["antagonist_occupancy"][:], c, arm)
            bands(axes[1], t_d, q, g["agonist_occupancy"][:], c, arm)
            prot = g["subjects/protected_day_fraction"][:]
            axes[2].hist(100 * prot, bins=np.linspace(0, 100, 41), color=c, alpha=0.5,
                         label=f"{arm} (mean {100 * np.nanmean(prot):.0f}%)")
        axes[0].axhline(blocked, color="k", ls=":", lw=0.8)
        axes[0].set_ylabel("antagonist occupancy")
        axes[0].set_ylim(0, 1.02)
        axes[0].set_title(f"{title}: {n} virtual patients per arm "
                          "(median, 25-75% and 5-95% of patients)")
        axes[0].legend(loc="lower left")
        axes[1].set_ylabel("agonist occupancy")
        axes[1].set_ylim(0, 1.02)
        axes[1].set_xlabel("time (days)")
        for ax in axes[:2]:
            ax.set_xlim(t_d[0], t_d[-1])
            ax.grid(alpha=0.3)
        axes[2].set_xlabel(f"protected days (% of days with antagonist occupancy >= "
                           f"{100 * blocked:.0f}% throughout)")
        axes[2].set_ylabel("patients")
        axes[2].legend(loc="upper left")
    fig.savefig(a.output, format=a.format, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
