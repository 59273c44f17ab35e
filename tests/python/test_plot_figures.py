"""Figures for a slide: `morsim plot` writes 1920 x 1080 px (or --size), arms in the order of
the config with at most three per row, one colour per compound across lessons, readable font
sizes, and a figure for sweep and population files. The layout is read from the hidden
`--describe FILE.json` of sim/plot/morsim_plot.py (run directly, as the binary does).

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import json
import os
import struct
import subprocess
import sys
import tempfile
import tomllib
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SCRIPT = os.path.join(SRC, "sim", "plot", "morsim_plot.py")
SYSTEM_PYTHON = "/usr/bin/python3"

# Six arms whose config order is not their name order (alphabetically 100 mg would come
# before 25 mg), as in the surmount lesson.
DOSES_MG = (25, 50, 100, 200, 400)
ARM = """
[[arm]]
name = "heroin-{mg}mg"
[[arm.dose]]
formulation = "naltrexone-depot-380mg"
amount = "380 mg"
time = "0 h"
[[arm.dose]]
formulation = "heroin-iv"
amount = "{mg} mg"
time = "14 d"
"""
SURMOUNT = """
[scenario]
name = "arm-order"
use = ["heroin", "naltrexone-depot-380mg"]
[output]
start = "0 h"
end = "16 d"
step = "0.5 h"
refine_after_doses = "2 h"
refine_step = "2 min"
[[arm]]
name = "control-25mg"
[[arm.dose]]
formulation = "heroin-iv"
amount = "25 mg"
time = "14 d"
""" + "".join(ARM.format(mg=mg) for mg in DOSES_MG)

SWEEP = """
[sweep]
name = "tiny"
base = "{base}"
arm = "depot"
design = "grid"
window = "12 h"
rtol = 1e-3
[challenge]
formulation = "heroin-iv"
amount = "25 mg"
time = "1 d"
{extra}
[[parameter]]
path = "challenge.time"
range = {{ from = "1 d", to = "28 d", n = 3 }}
[[parameter]]
path = "challenge.amount"
range = {{ from = "5 mg", to = "500 mg", n = 3, scale = "log" }}
[[metric]]
name = "peak"
kind = "peak_agonist_occupancy"
[[metric]]
name = "auc"
kind = "agonist_auc"
"""


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


class Figures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.h5 = {}
        with open(cls.path("surmount.toml"), "w") as f:
            f.write(SURMOUNT)
        for lesson, config in (("surmount", cls.path("surmount.toml")),
                               ("oral-blockade", cls.config("oral-blockade")),
                               ("depot-blockade", cls.config("depot-blockade"))):
            cls.h5[lesson] = cls.run_ok([BIN, "run", config, "-o", cls.path(lesson + ".h5"),
                                         "-q"], cls.path(lesson + ".h5"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def path(cls, name):
        return os.path.join(cls.tmp.name, name)

    @staticmethod
    def config(lesson):
        return os.path.join(SRC, "configs", "demo", lesson + ".toml")

    @staticmethod
    def run_ok(cmd, result, env=None):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
        assert r.returncode == 0, (cmd, r.stderr)
        return result

    def plot(self, h5, name, *extra, env=None):
        out = self.path(name)
        r = subprocess.run([BIN, "plot", h5, "-o", out, *extra], capture_output=True, text=True,
                           timeout=120, env=env)
        return r, out

    def describe(self, h5, *extra):
        out, js = self.path("d.png"), self.path("d.json")
        r = subprocess.run([SYSTEM_PYTHON, SCRIPT, h5, "-o", out, "--describe", js, *extra],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(js, encoding="utf-8") as f:
            return json.load(f)

    def test_default_size_is_1920_by_1080(self):
        r, out = self.plot(self.h5["surmount"], "default.png")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(png_size(out), (1920, 1080))

    def test_size_option(self):
        for size in ((1280, 720), (1000, 1000)):
            with self.subTest(size=size):
                r, out = self.plot(self.h5["oral-blockade"], "%dx%d.png" % size,
                                   "--size", "%dx%d" % size)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(png_size(out), size)

    def test_a_bad_size_is_a_usage_error(self):
        r, out = self.plot(self.h5["oral-blockade"], "bad-size.png", "--size", "big")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("--size", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_arms_follow_the_config_with_at_most_three_per_row(self):
        configured = [a["name"] for a in tomllib.loads(SURMOUNT)["arm"]]
        self.assertNotEqual(configured, sorted(configured))
        d = self.describe(self.h5["surmount"])
        arm_panels = [p for p in d["panels"] if not p["title"].startswith("zoom")]
        self.assertEqual([p["title"] for p in arm_panels], configured)
        rows = {}
        for p in arm_panels:
            rows.setdefault(p["y1"], []).append(p)
        self.assertLessEqual(max(len(r) for r in rows.values()), 3)
        self.assertEqual(len(rows), 2)  # six arms: two rows of three

    def test_arms_option_sets_the_order(self):
        d = self.describe(self.h5["surmount"], "--arms", "heroin-400mg,control-25mg")
        titles = [t for t in d["titles"] if not t.startswith("zoom")]
        self.assertEqual(titles, ["heroin-400mg", "control-25mg"])

    def test_zoom_on_the_first_challenge_after_the_antagonist(self):
        d = self.describe(self.h5["surmount"])
        self.assertIn("zoom: day 14", d["titles"])

    def test_a_compound_keeps_its_colour_across_lessons(self):
        oral = self.describe(self.h5["oral-blockade"])["colors"]
        depot = self.describe(self.h5["depot-blockade"])["colors"]
        only_control = self.describe(self.h5["depot-blockade"], "--arms", "control")["colors"]
        for name in ("naltrexone", "6-beta-naltrexol", "heroin", "6-MAM", "morphine"):
            with self.subTest(compound=name):
                self.assertEqual(oral[name], depot[name])
        self.assertEqual(only_control["heroin"], depot["heroin"])
        self.assertNotEqual(depot["naltrexone"], depot["6-beta-naltrexol"])

    def test_fonts_readable_at_1080_px(self):
        d = self.describe(self.h5["surmount"])
        self.assertGreaterEqual(d["font_px"]["suptitle"], 20)
        self.assertGreaterEqual(d["font_px"]["smallest_tick"], 14)

    def test_percent_and_plasma_units(self):
        d = self.describe(self.h5["oral-blockade"])
        self.assertTrue(any("(%)" in y for y in d["ylabels"]))
        self.assertTrue(any("(nM)" in y for y in d["ylabels"]))
        r, out = self.plot(self.h5["oral-blockade"], "ngml.png", "--plasma-unit", "ng/mL")
        self.assertEqual(r.returncode, 0, r.stderr)
        d = self.describe(self.h5["oral-blockade"], "--plasma-unit", "ng/mL",
                          "--molar-mass", "heroin=369.4,6-MAM=327.4,morphine=285.3,"
                          "naltrexone=341.4,6-beta-naltrexol=343.4")
        self.assertTrue(any("(ng/mL)" in y for y in d["ylabels"]))

    def test_sweep_file(self):
        h5 = {}
        for name, extra in (("sweep2", ""), ("sweep3", '[[parameter]]\npath = "naltrexone.koff"'
                                                      '\nvalues = ["0.2 /min", "0.4 /min"]')):
            toml = self.path(name + ".toml")
            with open(toml, "w") as f:
                f.write(SWEEP.format(base=os.path.join(SRC, "configs", "sweeps",
                                                       "surmountability-base.toml"),
                                     extra=extra))
            h5[name] = self.run_ok([BIN, "sweep", toml, "-o", self.path(name + ".h5"), "-q"],
                                   self.path(name + ".h5"))
        r, out = self.plot(h5["sweep2"], "sweep.png")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(png_size(out), (1920, 1080))
        r, out = self.plot(h5["sweep2"], "sweep-auc.png", "--metric", "auc")
        self.assertEqual(r.returncode, 0, r.stderr)
        d = self.describe(h5["sweep3"])
        self.assertIn("at challenge.amount = 5 mg", d["titles"][0])
        r, out = self.plot(h5["sweep2"], "sweep-bad.png", "--metric", "nope")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("no metric named nope", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_population_file(self):
        h5 = self.run_ok([BIN, "population", os.path.join(SRC, "configs", "demo",
                                                          "population.toml"),
                          "-o", self.path("pop.h5"), "--subjects", "4", "-q"],
                         self.path("pop.h5"))
        r, out = self.plot(h5, "pop.png")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(png_size(out), (1920, 1080))
        d = self.describe(h5)
        self.assertEqual(d["kind"], "population")
        self.assertTrue(all("(%)" in y for y in d["ylabels"] if "occupancy" in y))

    def test_python_on_path_without_matplotlib_falls_back(self):
        # A python3 first on PATH that has no site-packages (a bare venv or pyenv): morsim
        # goes on to /usr/bin/python3; MORSIM_PYTHON naming it is an error that says so.
        bare = self.path("bare")
        os.makedirs(bare, exist_ok=True)
        fake = os.path.join(bare, "python3")
        with open(fake, "w") as f:
            f.write(f"#!/bin/sh\nexec {SYSTEM_PYTHON} -S \"$@\"\n")
        os.chmod(fake, 0o755)
        env = dict(os.environ, PATH=bare + os.pathsep + os.environ.get("PATH", ""))
        env.pop("MORSIM_PYTHON", None)
        r, out = self.plot(self.h5["oral-blockade"], "fallback.png", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(out))
        env["MORSIM_PYTHON"] = fake
        r, out = self.plot(self.h5["oral-blockade"], "chosen.png", env=env)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("MORSIM_PYTHON", r.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
