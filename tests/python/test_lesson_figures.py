"""The figure of every shipped lesson is 1920 x 1080 px (`morsim demo` and the plot script's
default), the arm panels follow the config's arm order (a binding-mode lesson's equilibrium
arms after them), `morsim plot --size` resizes it, and each compound is drawn in the colour
that sim/plot/morsim_colors.py gives it, so it looks the same in every lesson. The layout is
read from the hidden `--describe FILE.json` of sim/plot/morsim_plot.py (one figure per lesson:
drawing is the slow part)."""
import glob
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import tomllib
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.path.abspath(os.environ.get("MORSIM_SOURCE_DIR", "."))
PLOT = os.path.join(SRC, "sim", "plot")
SYSTEM_PYTHON = "/usr/bin/python3"
sys.path.insert(0, PLOT)
import morsim_colors  # noqa: E402  the colour map the figures use


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def lesson_configs():
    out = []
    for p in sorted(glob.glob(os.path.join(SRC, "configs", "demo", "*.toml"))):
        with open(p, "rb") as f:
            cfg = tomllib.load(f)
        if "lesson" in cfg:
            out.append((p, cfg))
    return out


class LessonFigures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.done, cls.described = {}, {}
        for path, cfg in lesson_configs():
            name = cfg["scenario"]["name"]
            h5, js = cls.file(name + ".h5"), cls.file(name + ".json")
            r = subprocess.run([BIN, "run", path, "-o", h5, "-q"], capture_output=True,
                               text=True, timeout=300)
            assert r.returncode == 0, (path, r.stderr)
            r = subprocess.run([SYSTEM_PYTHON, os.path.join(PLOT, "morsim_plot.py"), h5, "-o",
                                cls.file(name + ".png"), "--describe", js],
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, (path, r.stderr)
            with open(js, encoding="utf-8") as f:
                cls.described[name] = json.load(f)
            cls.done[name] = cfg

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def file(cls, name):
        return os.path.join(cls.tmp.name, name)

    def test_every_lesson_ran(self):
        self.assertGreaterEqual(len(self.done), 7)

    def test_figures_are_1920_by_1080(self):
        for name in self.done:
            with self.subTest(lesson=name):
                self.assertEqual(png_size(self.file(name + ".png")), (1920, 1080))
                self.assertEqual(self.described[name]["size_px"], [1920, 1080])
        with tempfile.TemporaryDirectory() as here:
            r = subprocess.run([BIN, "demo", "kinetic-vs-equilibrium"], cwd=here,
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(png_size(os.path.join(here, "kinetic-vs-equilibrium.png")),
                             (1920, 1080))

    def test_size_option_on_a_lesson_file(self):
        out = self.file("small.png")
        r = subprocess.run([BIN, "plot", self.file("kinetic-vs-equilibrium.h5"), "-o", out,
                            "--size", "1280x720"], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(png_size(out), (1280, 720))

    def test_arm_panels_in_config_order(self):
        for name, cfg in self.done.items():
            d = self.described[name]
            if d["kind"] == "schild":  # dose-response curves, not one panel per arm
                continue
            with self.subTest(lesson=name):
                arms = [a["name"] for a in cfg["arm"]]
                if cfg["lesson"]["kind"] == "binding-mode":
                    arms += [re.sub(r"-kinetic$", "", a) + "-equilibrium"
                             for a in cfg["lesson"]["compare"]]
                panels = [t for t in d["titles"] if not t.startswith("zoom")]
                self.assertEqual(panels, arms)

    def test_one_colour_per_compound_in_every_lesson(self):
        seen = {}
        for name, d in self.described.items():
            for compound, colour in d["colors"].items():
                if compound not in morsim_colors.COMPOUND_COLORS:
                    continue  # totals and other lines drawn with a gid
                with self.subTest(lesson=name, compound=compound):
                    self.assertEqual(colour, morsim_colors.compound_color(compound))
                seen.setdefault(compound, set()).add(name)
        # Compounds met in several lessons, so the colour is checked across figures.
        for compound in ("heroin", "naltrexone", "6-beta-naltrexol"):
            self.assertGreaterEqual(len(seen.get(compound, ())), 3, compound)
        self.assertIn("naloxone-iv", seen)


if __name__ == "__main__":
    unittest.main()
