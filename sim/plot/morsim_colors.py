"""Shared look of every morsim figure: one colour per compound, slide-sized fonts.

Imported by morsim_plot.py and the scripts it dispatches to. `morsim plot` writes all of
sim/plot/*.py into one temporary folder, so `import morsim_colors` finds this file there, as
it does when the scripts run from sim/plot/ on their own.
"""

import zlib

# A compound keeps its colour in every figure and lesson, whatever else the file holds, so a
# class can follow naltrexone from one slide to the next. Antagonists are blues and greens,
# heroin and its metabolites warm colours, maintenance agonists purples and browns.
COMPOUND_COLORS = {
    "heroin": "#d62728",
    "6-MAM": "#ff7f0e",
    "morphine": "#e377c2",
    "naltrexone": "#1f77b4",
    "6-beta-naltrexol": "#17becf",
    "naloxone": "#2ca02c",
    "naloxone-im": "#2ca02c",
    "naloxone-iv": "#98df8a",
    "buprenorphine": "#9467bd",
    "methadone": "#8c564b",
    "fentanyl": "#bcbd22",
    "carfentanil": "#7f7f7f",
}

# Compounds added later (docs: "Adding a compound") get a colour from their name, not from
# their position in a file, so they too look the same in every figure.
_FALLBACK = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d",
             "#31a354", "#756bb1", "#636363")

# Arms of a population file and lines of a sweep, in file order.
ARM_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#ff7f0e")

TOTAL_COLOR = "black"

# Slide defaults: 1920 x 1080 px. The figure is always 10.8 inches high and the resolution
# follows the requested height, so text keeps its size relative to the slide at any --size.
DEFAULT_SIZE = (1920, 1080)
HEIGHT_IN = 10.8
FONT_PT = {"suptitle": 20, "title": 16, "label": 14, "tick": 12, "legend": 13}


def compound_color(name):
    if name in COMPOUND_COLORS:
        return COMPOUND_COLORS[name]
    return _FALLBACK[zlib.crc32(name.encode("utf-8")) % len(_FALLBACK)]


def arm_color(i):
    return ARM_COLORS[i % len(ARM_COLORS)]


def parse_size(text):
    """'1920x1080' -> (1920, 1080); raises ValueError on anything else."""
    parts = text.lower().split("x")
    if len(parts) != 2:
        raise ValueError(f"--size {text}: expected WIDTHxHEIGHT in pixels, e.g. 1920x1080")
    w, h = (int(p) for p in parts)
    if not (100 <= w <= 10000 and 100 <= h <= 10000):
        raise ValueError(f"--size {text}: width and height must be 100 to 10000 px")
    return w, h


def figure_geometry(size):
    """(figsize in inches, dpi) giving exactly `size` pixels. A quarter pixel is added because
    the canvas truncates width x dpi to an integer."""
    w, h = size
    dpi = h / HEIGHT_IN
    return ((w + 0.25) / dpi, (h + 0.25) / dpi), dpi


def apply_style(plt):
    """Font sizes in points for a 10.8-inch-high figure: at 1080 px (100 dpi) a point is
    100/72 px, so ticks of 12 pt are 16.7 px and the title of 20 pt is 27.8 px."""
    plt.rcParams.update({
        "font.size": FONT_PT["label"],
        "axes.titlesize": FONT_PT["title"],
        "axes.labelsize": FONT_PT["label"],
        "xtick.labelsize": FONT_PT["tick"],
        "ytick.labelsize": FONT_PT["tick"],
        "legend.fontsize": FONT_PT["legend"],
        "figure.titlesize": FONT_PT["suptitle"],
        "figure.titleweight": "bold",
        "lines.linewidth": 2.2,
    })


def new_figure(plt, size):
    """A figure of exactly `size` pixels in the slide style."""
    apply_style(plt)
    figsize, dpi = figure_geometry(size)
    return plt.figure(figsize=figsize, dpi=dpi)


def px(fig, pixels, axis="h"):
    """A distance in pixels of a 1080-px-high figure as a fraction of the figure, so margins
    hold the text whatever the aspect ratio."""
    w, h = fig.get_size_inches()
    return pixels / 100.0 / (h if axis == "h" else w)
