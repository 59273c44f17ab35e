"""A lesson's numbers do not depend on the output grid: each kind that reads occupancies,
peaks or hold times gives the same paragraph values on a coarse 6-h grid (no refinement) as on
the config's own fine grid. Read off the samples, a heroin peak a few minutes after the dose,
or the day a block falls below 90%, would come out different on a 6-h grid."""
import os
import re
import subprocess
import tempfile
import unittest

import h5py

MORSIM = os.environ.get("MORSIM_BIN", "build/bin/morsim")
SOURCE = os.environ.get("MORSIM_SOURCE_DIR", ".")
DEMO = os.path.join(SOURCE, "configs", "demo")


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def coarse(src):
    """The config on a 6-h output grid without samples refined after doses."""
    src = re.sub(r'^step = "[^"]*"', 'step = "6 h"', src, count=1, flags=re.M)
    return re.sub(r"^refine_(after_doses|step) = .*$", "", src, flags=re.M)


def lesson_values(cfg, tmp, out):
    run = subprocess.run([MORSIM, "run", cfg, "-o", out, "-q"], cwd=tmp, capture_output=True,
                         text=True, timeout=300)
    if run.returncode != 0:
        raise AssertionError(run.stderr)
    with h5py.File(os.path.join(tmp, out), "r") as f:
        return {k: text(v) for k, v in f["lesson"]["values"].attrs.items()}


def numbers(s):
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", s)]


class LessonGridIndependenceTest(unittest.TestCase):
    def compare(self, name, keys, tol):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(DEMO, name + ".toml")) as f:
                src = f.read()
            fine_cfg = os.path.join(tmp, "fine.toml")
            coarse_cfg = os.path.join(tmp, "coarse.toml")
            with open(fine_cfg, "w") as f:
                f.write(src)
            with open(coarse_cfg, "w") as f:
                f.write(coarse(src))
            fine = lesson_values(fine_cfg, tmp, "fine.h5")
            rough = lesson_values(coarse_cfg, tmp, "coarse.h5")
            with h5py.File(os.path.join(tmp, "coarse.h5"), "r") as f:
                # The coarse file really is on a 6-h grid: the numbers cannot come from it.
                for g in f.values():
                    if isinstance(g, h5py.Group) and "time" in g:
                        t = g["time"][()]
                        self.assertGreaterEqual(min(t[1:] - t[:-1]), 6.0 - 1e-6, g.name)
        for key in keys:
            a, b = numbers(fine[key]), numbers(rough[key])
            self.assertTrue(a, f"{key}: no numbers in {fine[key]!r}")
            self.assertEqual(len(a), len(b), f"{key}: {fine[key]!r} vs {rough[key]!r}")
            for x, y in zip(a, b):
                self.assertAlmostEqual(x, y, delta=tol, msg=f"{key}: {fine[key]!r} vs {rough[key]!r}")

    def test_blockade_hold_times_and_peaks(self):
        # Times to 0.1 day and percentages to 1 point, as printed; 0.1 allows a last digit.
        self.compare("depot-blockade", ["hold", "challenge_peaks", "blockades", "control_peak"],
                     tol=0.1)

    def test_missed_doses_occupancy_after_the_last_tablet(self):
        self.compare("oral-blockade", ["after_last_dose", "challenges"], tol=0.1)

    def test_maintenance_holds_and_challenge_peaks(self):
        self.compare("agonist-vs-antagonist", ["treated", "control_peak", "control_effect"],
                     tol=0.1)

    def test_binding_mode_peaks_and_times_to_peak(self):
        self.compare("kinetic-vs-equilibrium", ["compared"], tol=0.1)


if __name__ == "__main__":
    unittest.main()
