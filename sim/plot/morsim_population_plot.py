#!/usr/bin/env python3
"""Figure of a `morsim population` file: percentile bands of antagonist and agonist occupancy
per arm (in %), and the distribution of protected days across subjects.

Drawn by morsim_plot.py, which dispatches on the file's filetype (`morsim plot pop.h5 -o
pop.png`, `morsim demo population`). Also runs on its own, with the options of morsim_plot.py:

    python3 sim/plot/morsim_population_plot.py pop.h5 -o pop.png
"""
import sys

try:
    import numpy as np
except ImportError as e:
    print(f"morsim_plot: this Python ({sys.executable}) lacks {e.name}", file=sys.stderr)
    sys.exit(3)

import morsim_colors as mc


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def bands(ax, t_d, q, data, colour, label):
    """5-95 and 25-75 percentile bands and the median line, in %."""
    idx = {float(p): i for i, p in enumerate(q)}
    for lo, hi, alpha in ((5.0, 95.0, 0.15), (25.0, 75.0, 0.3)):
        if lo in idx and hi in idx:
            ax.fill_between(t_d, 100 * data[idx[lo]], 100 * data[idx[hi]], color=colour,
                            alpha=alpha, lw=0)
    ax.plot(t_d, 100 * data[idx[50.0]], color=colour, label=label, gid=label)


def arm_names(f, wanted, error):
    arms = [text(x) for x in np.atleast_1d(f.attrs["arms"])]
    if not wanted:
        return arms
    missing = [a for a in wanted if a not in arms]
    if missing:
        raise error(f"no arm named {', '.join(missing)} (arms: {', '.join(arms)})")
    return wanted


def make_figure(f, opts, wanted, error):
    import matplotlib.pyplot as plt

    arms = arm_names(f, wanted, error)
    blocked = float(f.attrs["blocked_occupancy"])
    n = int(f.attrs["subjects"])
    fig = mc.new_figure(plt, opts.size)
    grid = fig.add_gridspec(2, 2, width_ratios=[2.2, 1], left=mc.px(fig, 95, "w"),
                            right=1 - mc.px(fig, 25, "w"), top=1 - mc.px(fig, 110),
                            bottom=mc.px(fig, 85), hspace=0.12, wspace=0.2)
    ant, ago = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0])
    ago.sharex(ant)
    hist = fig.add_subplot(grid[:, 1])
    for i, arm in enumerate(arms):
        g = f["arms"][arm]
        t_d = g["time"][:] / 24.0
        q = list(g["percentile"][:])
        c = mc.arm_color(i)
        bands(ant, t_d, q, g["antagonist_occupancy"][:], c, arm)
        bands(ago, t_d, q, g["agonist_occupancy"][:], c, arm)
        prot = g["subjects/protected_day_fraction"][:]
        hist.hist(100 * prot, bins=np.linspace(0, 100, 21), color=c, alpha=0.5,
                  label=f"{arm} (mean {100 * np.nanmean(prot):.0f}%)")
        ant.set_xlim(t_d[0], t_d[-1])
    ant.axhline(100 * blocked, color="k", ls=":", lw=1.2)
    ant.set_ylabel("Antagonist occupancy (%)")
    ago.set_ylabel("Agonist occupancy (%)")
    ago.set_xlabel("Time (days)")
    ant.tick_params(labelbottom=False)
    for ax in (ant, ago):
        ax.set_ylim(0, 102)
        ax.grid(alpha=0.3)
    ant.set_title("median, 25-75% and 5-95% of patients", loc="left")
    ant.legend(loc="lower left")
    hist.set_title(f"protected days (antagonist >= {100 * blocked:.0f}% all day)", loc="left",
                   fontsize=mc.FONT_PT["label"])
    hist.set_xlabel("protected days (% of days)")
    hist.set_ylabel("patients")
    hist.legend(loc="upper left")
    hist.grid(alpha=0.3)
    fig.suptitle(opts.title or f"{text(f.attrs['scenario'])}: {n} virtual patients per arm")
    return fig


if __name__ == "__main__":
    import morsim_plot
    sys.exit(morsim_plot.main())
