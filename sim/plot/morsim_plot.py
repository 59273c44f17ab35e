#!/usr/bin/env python3
"""Figure of a morsim file, drawn by its type: a results file (occupancy, agonist effect and
plasma levels per arm), a sweep file (a metric over one or two parameters) or a population
file (percentile bands).

Results: arms in the order of the config, at most three columns (wrapped into rows), a zoom
on the first agonist challenge after an antagonist (minutes) beside the days view, one colour
per compound in every figure (morsim_colors.py), occupancy and effect in %, plasma in nM or
ng/mL. The effect panel is left out when the receptor model has no operational effect (root
attribute operational_effect = 0, or an effect that is all NaN).

Reads only the HDF5 file (layout: docs/output.md, docs/sweeps.md, docs/population.md) and
writes a PNG, SVG or PDF chosen by the extension of --output (or --format), 1920 x 1080 px
unless --size says otherwise. Embedded in the morsim binary and run by `morsim plot`; also
usable on its own from sim/plot/:

    python3 sim/plot/morsim_plot.py results.h5 -o figure.png --arms control,depot --size 1280x720
"""

import argparse
import json
import math
import os
import sys

try:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and in CI; must precede pyplot
    import h5py
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import to_hex
    from matplotlib.lines import Line2D
except ImportError as e:
    # Exit 3 tells morsim to try the next Python interpreter (sim/io/plot.cpp).
    print(f"morsim_plot: this Python ({sys.executable}) lacks {e.name}: needs matplotlib, h5py "
          "and numpy (set MORSIM_PYTHON to one that has them)", file=sys.stderr)
    sys.exit(3)

import morsim_colors as mc  # noqa: E402

FORMATS = ("png", "svg", "pdf")
DAYS_ABOVE_H = 72.0  # longer runs read better in days
PLASMA_DECADES = 5  # log axis floor at most this far below the highest peak ...
ANTAGONIST_DECADES = 3  # ... and at least this far below the lowest antagonist peak
ZOOM_MIN = (-10.0, 120.0)  # the challenge zoom, minutes around the dose
MAX_COLUMNS = 3  # arms per row on a slide
PLASMA_UNITS = ("nM", "ng/mL")


class PlotError(Exception):
    pass


def strings(values):
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.atleast_1d(values)]


def attr_text(obj, name, default=""):
    value = obj.attrs.get(name, default)
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def file_kind(f):
    """'results', 'sweep' or 'population', from the root attribute filetype (the
    sweep files of format 0 have none: their /sweep group and sweep_text identify them)."""
    kind = attr_text(f, "filetype")
    if kind == "morsim-results":
        return "results"
    if kind == "morsim-population":
        return "population"
    if kind == "morsim-sweep" or ("sweep_text" in f.attrs and "sweep" in f):  # before filetype
        return "sweep"
    raise PlotError("is not a morsim results, sweep or population file "
                    f"(filetype {kind!r})" if kind else
                    "is not a morsim results, sweep or population file (no filetype attribute)")


def check_format_version(f, path, newest):
    v = f.attrs.get("format_version")
    if v is None:
        raise PlotError(f"{path} has no format_version attribute: not a morsim file")
    v = int(np.asarray(v).reshape(-1)[0])
    if v > newest:
        raise PlotError(f"{path} has format_version {v}; this morsim reads up to {newest} "
                        "(a newer morsim wrote it)")


def check_arm_shapes(name, arm):
    """The layout docs/output.md promises; anything else is a bad file, named in one line."""
    t = np.asarray(arm["time_h"])
    if t.ndim != 1 or t.size == 0:
        raise PlotError(f"arm {name} has no time points")
    k = len(arm["compounds"])
    for key in ("plasma", "occupancy"):
        if np.shape(arm[key]) != (t.size, k):
            raise PlotError(f"arm {name}: {key} has shape {np.shape(arm[key])}, "
                            f"expected ({t.size}, {k}) (times x compounds)")
    if np.shape(arm["effect"]) != (t.size,):
        raise PlotError(f"arm {name}: effect has shape {np.shape(arm['effect'])}, "
                        f"expected ({t.size},)")
    if not np.isfinite(np.asarray(arm["occupancy"], dtype=float)).any():
        raise PlotError(f"arm {name}: occupancy holds no finite values")


def read_arm(group):
    """The arrays of one arm group, as plain numpy arrays and lists."""
    arm = {
        "name": attr_text(group, "arm", group.name.strip("/")),
        "time_h": group["time"][()],
        "compounds": strings(group["compound"][()]),
        "plasma": group["plasma"][()],
        "occupancy": group["occupancy"][()],
        "effect": group["effect"][()],
        "agonists": strings(group.attrs.get("agonists", [])),
        "antagonists": strings(group.attrs.get("antagonists", [])),
        "doses": [],
    }
    check_arm_shapes(group.name, arm)
    if "doses" in group:
        d = group["doses"]
        arm["doses"] = list(zip(d["time_h"][()], strings(d["compound"][()]),
                                strings(d["status"][()])))
    return arm


def groups_in_order(f):
    """Root groups in creation order, which is the order of the config's arms (the results
    writer tracks it); name order for files that do not track it."""
    names = []
    try:
        f.id.links.iterate(lambda n: names.append(n.decode("utf-8")),
                           idx_type=h5py.h5.INDEX_CRT_ORDER)
    except (KeyError, ValueError, RuntimeError):
        names = list(f)
    return names


def read_results(f, path, wanted):
    # Arm groups hold a time grid; lesson groups such as /schild do not.
    names = [n for n in groups_in_order(f) if isinstance(f[n], h5py.Group) and "time" in f[n]]
    if wanted:
        missing = [a for a in wanted if a not in names]
        if missing:
            raise PlotError(f"no arm named {', '.join(missing)} in {path} "
                            f"(arms: {', '.join(names)})")
        names = wanted
    if not names:
        raise PlotError(f"{path} holds no arms")
    arms = [read_arm(f[n]) for n in names]
    modelled = int(f.attrs.get("operational_effect", 1)) != 0
    for arm in arms:
        arm["effect_modelled"] = modelled and not np.all(np.isnan(arm["effect"]))
    return attr_text(f, "scenario"), arms


def time_axis(arms):
    span = max(a["time_h"][-1] - a["time_h"][0] for a in arms if len(a["time_h"]))
    return (24.0, "days") if span > DAYS_ABOVE_H else (1.0, "h")


def zoom_time(arms):
    """The first agonist dose taken after an antagonist dose, in the first arm that has one;
    else the first agonist dose of any arm; None without agonist doses. Every arm is zoomed
    on the same time, so the block and the control read side by side."""
    first_agonist = None
    for arm in arms:
        taken = [(t, c) for t, c, s in arm["doses"] if s != "missed"]
        antagonist = [t for t, c in taken if c in arm["antagonists"]]
        agonist = [t for t, c in taken if c in arm["agonists"]]
        later = [t for t in agonist if antagonist and t > min(antagonist)]
        if later:
            return float(min(later))
        if agonist and first_agonist is None:
            first_agonist = float(min(agonist))
    return first_agonist


def plasma_values(arm, unit, molar_mass):
    """Plasma per compound in the chosen unit: ng/mL = nM x (g/mol) / 1000."""
    plasma = np.where(arm["plasma"] > 0, arm["plasma"], np.nan)  # log axis: hide zeros
    if unit == "nM":
        return plasma
    missing = [c for c in arm["compounds"] if c not in molar_mass]
    if missing:
        raise PlotError(f"no molar mass for {', '.join(missing)}: cannot show ng/mL")
    return plasma * np.array([molar_mass[c] / 1000.0 for c in arm["compounds"]])


def plasma_limits(arms, unit, molar_mass):
    """Down to 1/1000 of the lowest antagonist peak, so naltrexone's working range shows, but
    not more than PLASMA_DECADES below the highest peak where that is lower."""
    peaks, antagonist_peaks = [], []
    for arm in arms:
        p = plasma_values(arm, unit, molar_mass)
        for k, name in enumerate(arm["compounds"]):
            if np.isfinite(p[:, k]).any():
                peak = float(np.nanmax(p[:, k]))
                peaks.append(peak)
                if name in arm["antagonists"]:
                    antagonist_peaks.append(peak)
    if not peaks:
        return None
    top = max(peaks)
    floor = top / 10 ** PLASMA_DECADES
    if antagonist_peaks:
        floor = min(floor, min(antagonist_peaks) / 10 ** ANTAGONIST_DECADES)
    return floor, top * 2


def plot_occupancy(ax, arm, t):
    occ = arm["occupancy"]
    for name in arm["agonists"] + arm["antagonists"]:
        k = arm["compounds"].index(name)
        style = "-" if name in arm["agonists"] else "--"
        ax.plot(t, 100 * occ[:, k], style, color=mc.compound_color(name), gid=name)
    if len(arm["agonists"]) > 1:
        idx = [arm["compounds"].index(n) for n in arm["agonists"]]
        ax.plot(t, 100 * occ[:, idx].sum(axis=1), color=mc.TOTAL_COLOR, lw=2.8,
                gid="total agonist")
    ax.set_ylim(0, 105)


def plot_dose_marks(axes, arm, to_x):
    """Triangles along the top edge at the applied dose times (hollow for a missed dose), and
    faint lines through the panels below so a dose lines up with its response."""
    top = axes[0]
    trans = top.get_xaxis_transform()  # x in data units, y in axes fraction
    lo, hi = top.get_xlim()
    for t_h, compound, status in arm["doses"]:
        x = to_x(t_h)
        if not lo <= x <= hi:
            continue
        color = mc.compound_color(compound)
        missed = status == "missed"
        top.plot(x, 1.0, marker="v", ms=11, mfc="none" if missed else color, mec=color,
                 mew=1.5, transform=trans, clip_on=False, ls="none", zorder=5)
        if not missed:
            for ax in axes:
                ax.axvline(x, color=color, lw=0.9, alpha=0.35, ls=":")


def plot_effect(ax, arm, t):
    ax.plot(t, 100 * arm["effect"], color=mc.TOTAL_COLOR, gid="effect")
    ax.set_ylim(0, 105)


def plot_plasma(ax, arm, t, plasma):
    for k, name in enumerate(arm["compounds"]):
        if np.isfinite(plasma[:, k]).any():
            ax.plot(t, plasma[:, k], color=mc.compound_color(name), gid=name)
    ax.set_yscale("log")


def legend_handles(arms):
    handles, seen = [], set()
    for arm in arms:
        for name in arm["compounds"]:
            if name in seen:
                continue
            seen.add(name)
            role = ("agonist" if name in arm["agonists"]
                    else "antagonist" if name in arm["antagonists"] else "no receptor binding")
            style = "--" if role == "antagonist" else "-"
            handles.append(Line2D([], [], color=mc.compound_color(name), ls=style, lw=2.2,
                                  label=f"{name} ({role})"))
    if any(len(a["agonists"]) > 1 for a in arms):
        handles.append(Line2D([], [], color=mc.TOTAL_COLOR, lw=2.8, label="total agonist"))
    if any(a["doses"] for a in arms):
        handles.append(Line2D([], [], color="grey", marker="v", ls="none", ms=11,
                              label="dose taken"))
        if any(s == "missed" for a in arms for _, _, s in a["doses"]):
            handles.append(Line2D([], [], color="grey", marker="v", mfc="none", ls="none",
                                  ms=11, label="dose missed"))
    return handles


class ArmBlock:
    """The panels of one arm: rows occupancy / effect / plasma; columns the whole run and,
    when there is a challenge to zoom on, the minutes around it."""

    def __init__(self, fig, spec, rows, zoom):
        ratios = [3, 1.6, 2.4] if rows == 3 else [3, 2.4]
        inner = spec.subgridspec(rows, 2 if zoom else 1, height_ratios=ratios,
                                 width_ratios=[3, 1.3] if zoom else None, hspace=0.12,
                                 wspace=0.06)
        self.main = [fig.add_subplot(inner[r, 0]) for r in range(rows)]
        self.zoom = [fig.add_subplot(inner[r, 1], sharey=self.main[r]) for r in range(rows)] \
            if zoom else []


def make_figure(scenario, arms, opts):
    scale, unit = time_axis(arms)
    n = len(arms)
    # As few rows as three columns allow, then as few columns as those rows need: four arms
    # are 2 x 2, not 3 + 1.
    nrows = math.ceil(n / MAX_COLUMNS)
    ncols = math.ceil(n / nrows)
    # No effect panel where no arm has an operational effect (e.g. the FDA model, Mann 2022).
    effect = any(a.get("effect_modelled", True) for a in arms)
    rows = 3 if effect else 2
    t_zoom = zoom_time(arms) if unit == "days" else None
    limits = plasma_limits(arms, opts.plasma_unit, opts.molar_mass)
    handles = legend_handles(arms)
    legend_rows = math.ceil(len(handles) / (6 if opts.size[0] >= 1600 else 4))
    legend_cols = math.ceil(len(handles) / legend_rows)

    fig = mc.new_figure(plt, opts.size)
    outer = fig.add_gridspec(nrows, ncols, left=mc.px(fig, 95, "w"), right=1 - mc.px(fig, 20, "w"),
                             top=1 - mc.px(fig, 118), bottom=mc.px(fig, 70 + 32 * legend_rows),
                             wspace=0.16, hspace=0.42 if nrows > 1 else 0.2)
    for i, arm in enumerate(arms):
        r, c = divmod(i, ncols)
        block = ArmBlock(fig, outer[r, c], rows, t_zoom is not None)
        draw_arm(block, arm, scale, unit, t_zoom, limits, opts, first_column=c == 0,
                 bottom_row=r == nrows - 1 or i + ncols >= n, compact=nrows > 1)
    fig.suptitle(opts.title or scenario or "morsim results")
    fig.legend(handles=handles, loc="lower center", ncol=legend_cols, frameon=False,
               borderaxespad=0.3)
    return fig


def draw_arm(block, arm, scale, unit, t_zoom, limits, opts, first_column, bottom_row, compact):
    t = arm["time_h"] / scale
    # Two-line labels when arms wrap into rows: one line would be taller than the panel.
    sep = "\n" if compact else " "
    labels = [f"Occupancy{sep}(%)", f"Effect{sep}(% of max.)" if not compact else "Effect\n(%)",
              f"Plasma{sep}({opts.plasma_unit})"]
    if len(block.main) == 2:
        labels = [labels[0], labels[2]]
    plasma = plasma_values(arm, opts.plasma_unit, opts.molar_mass)
    views = [(block.main, t, lambda th: th / scale, (t[0], t[-1]))]
    if block.zoom:
        views.append((block.zoom, (arm["time_h"] - t_zoom) * 60.0,
                      lambda th: (th - t_zoom) * 60.0, ZOOM_MIN))
    for axes, x, to_x, xlim in views:
        plot_occupancy(axes[0], arm, x)
        if len(axes) == 3:
            plot_effect(axes[1], arm, x)
        plot_plasma(axes[-1], arm, x, plasma)
        for ax in axes:
            ax.set_xlim(*xlim)
            ax.grid(True, alpha=0.3)
        for ax in axes[:-1]:
            ax.tick_params(labelbottom=False)
        plot_dose_marks(axes, arm, to_x)
    if limits:
        block.main[-1].set_ylim(*limits)
    block.main[0].set_title(arm["name"], pad=18, loc="left", fontweight="bold")
    for ax, label in zip(block.main, labels):
        if first_column:
            ax.set_ylabel(label)
    if bottom_row:
        block.main[-1].set_xlabel(f"Time ({unit})")
    if block.zoom:
        for ax in block.zoom:
            ax.tick_params(labelleft=False)
        block.zoom[0].set_title(f"zoom: day {t_zoom / 24:.3g}", pad=18,
                                fontsize=mc.FONT_PT["label"])
        block.zoom[-1].set_xticks([0, 60, 120])
        if bottom_row:
            block.zoom[-1].set_xlabel("min after dose")


def make_schild_figure(f, opts):
    """The Schild lesson (group /schild): occupancy and effect against the agonist rate per
    antagonist level, and log(DR - 1) against log[N] with the slope-1 line of 1 + [N]/K_N."""
    g = f["schild"]
    rate, occ, eff = g["agonist_rate"][()], g["occupancy"][()], g["effect"][()]
    n_nM, dr = g["antagonist_brain"][()], g["dose_ratio"][()]
    kd, slope = float(g.attrs["antagonist_kd_nM"]), float(g.attrs["schild_slope"])
    pa2 = float(g.attrs["pA2"])
    agonist, antagonist = attr_text(g, "agonist"), attr_text(g, "antagonist")
    fig = mc.new_figure(plt, opts.size)
    margins = {"left": mc.px(fig, 95, "w"), "right": 1 - mc.px(fig, 25, "w"),
               "top": 1 - mc.px(fig, 90), "bottom": mc.px(fig, 90), "wspace": 0.28}
    axes = fig.subplots(1, 3, gridspec_kw=margins)
    colors = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(n_nM)))
    for j, c in enumerate(colors):
        label = f"no {antagonist}" if n_nM[j] == 0 else f"[N] = {n_nM[j]:.3g} nM"
        axes[0].semilogx(rate, 100 * occ[j], color=c, label=label)
        axes[1].semilogx(rate, 100 * eff[j], color=c, label=label)
    for ax, what in ((axes[0], f"{agonist} occupancy (%)"),
                     (axes[1], "Agonist effect (% of max.)")):
        ax.axhline(50, color="grey", lw=0.8, ls=":")
        ax.set_xlabel(f"{agonist} rate at steady state (mg/day)")
        ax.set_ylabel(what)
        ax.set_ylim(0, 105)
        ax.grid(True, alpha=0.3)
    axes[0].legend(loc="upper left")
    x = np.log10(n_nM[1:] * 1e-9)
    axes[2].plot(x, np.log10(dr[1:] - 1), "o", ms=11, color="black", label="simulated")
    xs = np.linspace(x.min() - 0.3, x.max() + 0.3, 10)
    axes[2].plot(xs, xs - np.log10(kd * 1e-9), color="tab:red",
                 label=f"1 + [N]/K_N, K_N = {kd:.3g} nM")
    axes[2].axhline(0, color="grey", lw=0.8, ls=":")
    axes[2].set_xlabel(f"log10 [{antagonist}] in the brain (M)")
    axes[2].set_ylabel("log10 (dose ratio - 1)")
    axes[2].set_title(f"Schild plot: slope {slope:.3f}, pA2 {pa2:.2f}")
    axes[2].legend(loc="upper left")
    axes[2].grid(True, alpha=0.3)
    axes[0].set_title("Dose-occupancy curves")
    axes[1].set_title("Dose-effect curves")
    fig.suptitle(opts.title or attr_text(f, "scenario"))
    return fig


def describe(fig, kind):
    """What the figure shows, for tests: titled panels in reading order (top to bottom, left
    to right) with their position, the colour of every line drawn for a compound, and the
    rendered font sizes in pixels."""
    axes = sorted(fig.axes, key=lambda ax: (-round(ax.get_position().y1, 3),
                                            round(ax.get_position().x0, 3)))
    panels = []
    for ax in axes:
        title = ax.get_title(loc="left") or ax.get_title()
        if title:
            pos = ax.get_position()
            panels.append({"title": title, "x0": round(pos.x0, 4), "y1": round(pos.y1, 4)})
    colors = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_gid():
                colors.setdefault(line.get_gid(), to_hex(line.get_color()))
    w, h = fig.get_size_inches() * fig.dpi
    to_px = fig.dpi / 72.0
    ticks = [t for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()
             if t.get_text()]
    suptitle = fig._suptitle.get_text() if fig._suptitle else ""
    font_px = {"suptitle": fig._suptitle.get_fontsize() * to_px if fig._suptitle else 0,
               "smallest_tick": min((t.get_fontsize() for t in ticks), default=0) * to_px,
               "ylabel": max((ax.yaxis.label.get_fontsize() for ax in fig.axes), default=0)
               * to_px}
    return {"kind": kind, "size_px": [int(w), int(h)], "panels": panels,
            "titles": [p["title"] for p in panels], "suptitle": suptitle, "colors": colors,
            "ylabels": [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()],
            "font_px": font_px}


def parse_molar_masses(text):
    out = {}
    for item in filter(None, text.split(",")):
        name, _, value = item.rpartition("=")
        out[name] = float(value)
    return out


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="HDF5 file written by morsim run, sweep or population")
    parser.add_argument("-o", "--output", required=True, help="figure file: .png, .svg or .pdf")
    parser.add_argument("--format", choices=FORMATS,
                        help="file format (default: from the extension of --output)")
    parser.add_argument("--arms", default="", help="comma-separated arms to show (default: all)")
    parser.add_argument("--title", default="", help="figure title (default: the scenario name)")
    parser.add_argument("--size", default="%dx%d" % mc.DEFAULT_SIZE,
                        help="figure size in pixels, WIDTHxHEIGHT (default: 1920x1080)")
    parser.add_argument("--plasma-unit", choices=PLASMA_UNITS, default="nM")
    parser.add_argument("--molar-mass", default="",
                        help="name=g/mol,... for --plasma-unit ng/mL (morsim passes them)")
    parser.add_argument("--metric", default="", help="sweep files: the metric (default: first)")
    # 2 added lesson groups (/lesson, /surmount), which hold no time grid and are not arms.
    parser.add_argument("--format-version", type=int, default=2,
                        help="the newest results format_version this morsim writes")
    parser.add_argument("--population-format-version", type=int, default=2,
                        help="the newest population format_version this morsim writes")
    parser.add_argument("--describe", default="", help=argparse.SUPPRESS)  # JSON, for tests
    return parser.parse_args(argv)


def draw(args, wanted):
    with h5py.File(args.results, "r") as f:
        kind = file_kind(f)
        if kind == "sweep":
            import morsim_sweep_plot
            return kind, morsim_sweep_plot.make_figure(f, args, PlotError)
        if kind == "population":
            check_format_version(f, args.results, args.population_format_version)
            import morsim_population_plot
            return kind, morsim_population_plot.make_figure(f, args, wanted, PlotError)
        check_format_version(f, args.results, args.format_version)
        if "schild" in f and not wanted:  # --arms asks for the time-course figure
            return "schild", make_schild_figure(f, args)
        scenario, arms = read_results(f, args.results, wanted)
        return kind, make_figure(scenario, arms, args)


def main(argv=None):
    args = parse_args(argv)
    fmt = args.format or os.path.splitext(args.output)[1].lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"morsim_plot: cannot tell the format of {args.output}; use .png, .svg or .pdf",
              file=sys.stderr)
        return 2
    wanted = [a.strip() for a in args.arms.split(",") if a.strip()]
    try:
        args.size = mc.parse_size(args.size)
        args.molar_mass = parse_molar_masses(args.molar_mass)
        kind, fig = draw(args, wanted)
    except PlotError as e:
        msg = str(e) if args.results in str(e) else f"{args.results}: {e}"
        print(f"morsim_plot: {msg}", file=sys.stderr)
        return 2
    except (OSError, KeyError, ValueError, TypeError, IndexError) as e:
        # A file h5py opens but whose layout is not what morsim writes: one line, not a
        # traceback (exit 2: bad input).
        print(f"morsim_plot: {args.results}: not a file this morsim can draw "
              f"({type(e).__name__}: {e})", file=sys.stderr)
        return 2
    fig.savefig(args.output, format=fmt, dpi=fig.dpi)
    if args.describe:
        with open(args.describe, "w", encoding="utf-8") as out:
            json.dump(describe(fig, kind), out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
