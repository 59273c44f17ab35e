#!/usr/bin/python3
"""Figure of a morsim results file: occupancy, agonist effect and plasma levels per arm.
The effect panel is left out when the receptor model has no operational effect (root
attribute operational_effect = 0, or an effect that is all NaN).

Reads only the HDF5 file written by `morsim run` (layout: docs/output.md) and writes a PNG,
SVG or PDF chosen by the extension of --output (or --format). Embedded in the morsim binary
and run by `morsim plot`; also usable on its own:

    /usr/bin/python3 sim/plot/morsim_plot.py results.h5 -o figure.png --arms control,depot
"""

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; must precede pyplot

import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

FORMATS = ("png", "svg", "pdf")
DAYS_ABOVE_H = 72.0  # longer runs read better in days
PLASMA_DECADES = 5  # log axis floor: the tail below peak / 1e5 is not informative
TOTAL_COLOR = "black"


class PlotError(Exception):
    pass


def strings(values):
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.atleast_1d(values)]


def attr_text(obj, name, default=""):
    value = obj.attrs.get(name, default)
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


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


def check_format_version(path, newest):
    with h5py.File(path, "r") as f:
        v = f.attrs.get("format_version")
        if v is None:
            raise PlotError(f"{path} has no format_version attribute: not a morsim file")
        if int(np.asarray(v).reshape(-1)[0]) > newest:
            raise PlotError(f"{path} has format_version {int(np.asarray(v).reshape(-1)[0])}; "
                            f"this morsim reads up to {newest} (a newer morsim wrote it)")


def read_results(path, wanted):
    with h5py.File(path, "r") as f:
        if attr_text(f, "filetype") != "morsim-results":
            raise PlotError(f"{path} is not a morsim results file")
        # Arm groups hold a time grid; lesson groups such as /schild do not.
        names = [n for n in f if isinstance(f[n], h5py.Group) and "time" in f[n]]
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


def compound_colors(arms):
    """One color per compound, the same in every arm and panel."""
    order = []
    for arm in arms:
        order += [c for c in arm["compounds"] if c not in order]
    palette = plt.get_cmap("tab10").colors
    return {c: palette[i % len(palette)] for i, c in enumerate(order)}


def time_axis(arms):
    span = max(a["time_h"][-1] - a["time_h"][0] for a in arms if len(a["time_h"]))
    return (24.0, "days") if span > DAYS_ABOVE_H else (1.0, "h")


def plot_occupancy(ax, arm, t, colors):
    occ = arm["occupancy"]
    for name in arm["agonists"] + arm["antagonists"]:
        k = arm["compounds"].index(name)
        style = "-" if name in arm["agonists"] else "--"
        ax.plot(t, 100 * occ[:, k], style, color=colors[name], lw=1.8)
    if len(arm["agonists"]) > 1:
        idx = [arm["compounds"].index(n) for n in arm["agonists"]]
        ax.plot(t, 100 * occ[:, idx].sum(axis=1), color=TOTAL_COLOR, lw=2.4)
    ax.set_ylim(0, 105)
    ax.set_ylabel("Receptor occupancy (%)")


def plot_dose_marks(axes, arm, scale, colors):
    """Triangles along the top edge at the applied dose times (hollow for a missed dose), and
    faint lines through the panels below so a dose lines up with its response."""
    top = axes[0]
    trans = top.get_xaxis_transform()  # x in data units, y in axes fraction
    for t_h, compound, status in arm["doses"]:
        color = colors.get(compound, "grey")
        missed = status == "missed"
        top.plot(t_h / scale, 1.0, marker="v", ms=9, mfc="none" if missed else color, mec=color,
                 mew=1.5, transform=trans, clip_on=False, ls="none", zorder=5)
        if not missed:
            for ax in axes:
                ax.axvline(t_h / scale, color=color, lw=0.8, alpha=0.35, ls=":")


def plot_effect(ax, arm, t):
    ax.plot(t, 100 * arm["effect"], color=TOTAL_COLOR, lw=2)
    ax.set_ylim(0, 105)
    ax.set_ylabel("Agonist effect (% of max.)")


def plot_plasma(ax, arm, t, colors):
    plasma = np.where(arm["plasma"] > 0, arm["plasma"], np.nan)  # log axis: hide zeros
    for k, name in enumerate(arm["compounds"]):
        if np.isfinite(plasma[:, k]).any():
            ax.plot(t, plasma[:, k], color=colors[name], lw=1.8)
    ax.set_yscale("log")
    ax.set_ylabel("Plasma concentration (nM)")


def limit_plasma_axis(axes, arms):
    peaks = [np.nanmax(np.where(a["plasma"] > 0, a["plasma"], np.nan)) for a in arms
             if (a["plasma"] > 0).any()]
    if peaks:
        top = max(peaks)
        axes[0].set_ylim(top / 10 ** PLASMA_DECADES, top * 2)


def legend_handles(arms, colors):
    handles, seen = [], set()
    for arm in arms:
        for name in arm["compounds"]:
            if name in seen:
                continue
            seen.add(name)
            role = ("agonist" if name in arm["agonists"]
                    else "antagonist" if name in arm["antagonists"] else "no receptor binding")
            style = "--" if role == "antagonist" else "-"
            handles.append(Line2D([], [], color=colors[name], ls=style, lw=1.8,
                                  label=f"{name} ({role})"))
    if any(len(a["agonists"]) > 1 for a in arms):
        handles.append(Line2D([], [], color=TOTAL_COLOR, lw=2.4, label="total agonist"))
    if any(a["doses"] for a in arms):
        handles.append(Line2D([], [], color="grey", marker="v", ls="none", ms=9,
                              label="dose taken"))
        if any(s == "missed" for a in arms for _, _, s in a["doses"]):
            handles.append(Line2D([], [], color="grey", marker="v", mfc="none", ls="none",
                                  ms=9, label="dose missed"))
    return handles


def make_figure(scenario, arms, title):
    colors = compound_colors(arms)
    scale, unit = time_axis(arms)
    n = len(arms)
    # No effect panel where no arm has an operational effect (e.g. the FDA model, Mann 2022).
    effect = any(a.get("effect_modelled", True) for a in arms)
    ratios = [3, 1.6, 2.4] if effect else [3, 2.4]
    fig, axes = plt.subplots(len(ratios), n, figsize=(max(8.0, 5.5 * n), 9.0 if effect else 7.4),
                             sharex="col", sharey="row", squeeze=False,
                             gridspec_kw={"height_ratios": ratios})
    for j, arm in enumerate(arms):
        t = arm["time_h"] / scale
        occ_ax, pk_ax = axes[0, j], axes[-1, j]
        plot_occupancy(occ_ax, arm, t, colors)
        plot_dose_marks(axes[:, j], arm, scale, colors)
        if effect:
            plot_effect(axes[1, j], arm, t)
        plot_plasma(pk_ax, arm, t, colors)
        occ_ax.set_title(arm["name"], fontsize=13, pad=12)
        pk_ax.set_xlabel(f"Time ({unit})")
        if len(t):
            pk_ax.set_xlim(t[0], t[-1])
        for ax in axes[:, j]:
            ax.grid(True, alpha=0.3)
            if j > 0:
                ax.set_ylabel("")
    limit_plasma_axis(axes[-1], arms)
    fig.suptitle(title or scenario or "morsim results", fontsize=15, fontweight="bold")
    handles = legend_handles(arms, colors)
    fig.legend(handles=handles, loc="lower center", ncol=min(4, len(handles)), frameon=False,
               fontsize=10)
    fig.tight_layout(rect=(0, 0.035 * (1 + (len(handles) - 1) // 4), 1, 1))
    return fig


def make_schild_figure(path, title):
    """The Schild lesson (group /schild): occupancy and effect against the agonist rate per
    antagonist level, and log(DR - 1) against log[N] with the slope-1 line of 1 + [N]/K_N."""
    with h5py.File(path, "r") as f:
        g = f["schild"]
        rate, occ, eff = g["agonist_rate"][()], g["occupancy"][()], g["effect"][()]
        n_nM, dr = g["antagonist_brain"][()], g["dose_ratio"][()]
        kd, slope = float(g.attrs["antagonist_kd_nM"]), float(g.attrs["schild_slope"])
        pa2 = float(g.attrs["pA2"])
        agonist, antagonist = attr_text(g, "agonist"), attr_text(g, "antagonist")
        scenario = attr_text(f, "scenario")
    fig, axes = plt.subplots(1, 3, figsize=(16.5, 5.2))
    colors = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(n_nM)))
    for j, c in enumerate(colors):
        label = f"no {antagonist}" if n_nM[j] == 0 else f"[N] = {n_nM[j]:.3g} nM"
        axes[0].semilogx(rate, 100 * occ[j], color=c, lw=2, label=label)
        axes[1].semilogx(rate, 100 * eff[j], color=c, lw=2, label=label)
    for ax, what in ((axes[0], f"{agonist} occupancy (%)"), (axes[1], "Agonist effect (% of max.)")):
        ax.axhline(50, color="grey", lw=0.8, ls=":")
        ax.set_xlabel(f"{agonist} infusion rate at steady state (mg/day)")
        ax.set_ylabel(what)
        ax.set_ylim(0, 105)
        ax.grid(True, alpha=0.3)
    axes[0].legend(fontsize=9, loc="upper left")
    x = np.log10(n_nM[1:] * 1e-9)
    axes[2].plot(x, np.log10(dr[1:] - 1), "o", ms=9, color="black", label="simulated dose ratios")
    xs = np.linspace(x.min() - 0.3, x.max() + 0.3, 10)
    axes[2].plot(xs, xs - np.log10(kd * 1e-9), color="tab:red", lw=1.5,
                 label=f"1 + [N]/K_N, K_N = {kd:.3g} nM (slope 1)")
    axes[2].axhline(0, color="grey", lw=0.8, ls=":")
    axes[2].set_xlabel(f"log10 [{antagonist}] in the brain (M)")
    axes[2].set_ylabel("log10 (dose ratio - 1)")
    axes[2].set_title(f"Schild plot: slope {slope:.3f}, pA2 {pa2:.2f}")
    axes[2].legend(fontsize=9, loc="upper left")
    axes[2].grid(True, alpha=0.3)
    axes[0].set_title("Dose-occupancy curves")
    axes[1].set_title("Dose-effect curves")
    fig.suptitle(title or scenario, fontsize=15, fontweight="bold")
    fig.tight_layout()
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="HDF5 file written by morsim run")
    parser.add_argument("-o", "--output", required=True, help="figure file: .png, .svg or .pdf")
    parser.add_argument("--format", choices=FORMATS,
                        help="file format (default: from the extension of --output)")
    parser.add_argument("--arms", default="", help="comma-separated arms to show (default: all)")
    parser.add_argument("--title", default="", help="figure title (default: the scenario name)")
    parser.add_argument("--dpi", type=int, default=150, help="resolution of PNG output")
    parser.add_argument("--format-version", type=int, default=1,
                        help="the newest results format_version this morsim writes")
    args = parser.parse_args(argv)

    fmt = args.format or os.path.splitext(args.output)[1].lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"morsim_plot: cannot tell the format of {args.output}; use .png, .svg or .pdf",
              file=sys.stderr)
        return 2
    wanted = [a.strip() for a in args.arms.split(",") if a.strip()]
    try:
        check_format_version(args.results, args.format_version)
        with h5py.File(args.results, "r") as f:
            schild = "schild" in f and not wanted  # --arms asks for the time-course figure
        if schild:
            fig = make_schild_figure(args.results, args.title)
        else:
            scenario, arms = read_results(args.results, wanted)
            fig = make_figure(scenario, arms, args.title)
    except PlotError as e:
        msg = str(e) if args.results in str(e) else f"{args.results}: {e}"
        print(f"morsim_plot: {msg}", file=sys.stderr)
        return 2
    except (OSError, KeyError, ValueError, TypeError, IndexError) as e:
        # A file h5py opens but whose layout is not what morsim writes: one line, not a
        # traceback (exit 2: bad input).
        print(f"morsim_plot: {args.results}: not a results file this morsim can draw "
              f"({type(e).__name__}: {e})", file=sys.stderr)
        return 2
    fig.savefig(args.output, format=fmt, dpi=args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
