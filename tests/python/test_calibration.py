"""The shipped models against the human calibration data (configs/calibration/data/*.csv).

Each fit file in configs/calibration/ names its datasets and, beside each, the tolerance the
shipped defaults must stay within (`tolerance`, reasoned in the CSV header). `morsim fit
--check` evaluates the defaults without fitting and fails when a dataset is outside it: a
regression check on the calibration. The label's qualitative statements about the depot
(D4) that no fit can express as a number are checked here from a run.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import glob
import os
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
CAL = os.path.join(SRC, "configs", "calibration")


class ShippedDefaultsMatchTheData(unittest.TestCase):
    def test_every_calibration_fit_passes_its_check(self):
        fits = sorted(glob.glob(os.path.join(CAL, "*.toml")))
        self.assertGreaterEqual(len(fits), 3, "the calibration fits are missing")
        for fit in fits:
            with self.subTest(fit=os.path.basename(fit)):
                r = subprocess.run([BIN, "fit", fit, "--check", "-q"], capture_output=True,
                                   text=True, timeout=600)
                self.assertEqual(r.returncode, 0, f"{fit}:\n{r.stdout}\n{r.stderr}")


class DepotShape(unittest.TestCase):
    """D4's statements without a number: no trough between the two peaks that the label does
    not show, and less 6-beta-naltrexol than from tablets (no first pass)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        out = os.path.join(cls.tmp.name, "dvo.h5")
        subprocess.run([BIN, "run", os.path.join(CAL, "scenarios", "naltrexone-depot-vs-oral.toml"),
                        "-o", out, "-q"], check=True)
        cls.f = h5py.File(out, "r")

    @classmethod
    def tearDownClass(cls):
        cls.f.close()
        cls.tmp.cleanup()

    def series(self, arm, compound):
        g = self.f[arm]
        names = [c.decode() if isinstance(c, bytes) else c for c in g["compound"][()]]
        return g["time"][()], g["plasma"][:, names.index(compound)]

    def test_no_deep_trough_between_the_peaks(self):
        t, c = self.series("depot-380mg", "naltrexone")
        between = (t >= 2.0) & (t <= 72.0)
        second = (t >= 12.0) & (t <= 240.0)
        # The level never falls below half of the second peak between the first peak and day 3.
        self.assertGreater(c[between].min(), 0.5 * c[second].max())

    def test_less_naltrexol_than_from_tablets(self):
        t, d = self.series("depot-380mg", "6-beta-naltrexol")
        _, o = self.series("oral-50mg-daily", "6-beta-naltrexol")
        _, dn = self.series("depot-380mg", "naltrexone")
        _, on = self.series("oral-50mg-daily", "naltrexone")
        m = t <= 28 * 24.0
        ratio_depot = np.trapz(d[m], t[m]) / np.trapz(dn[m], t[m])
        ratio_oral = np.trapz(o[m], t[m]) / np.trapz(on[m], t[m])
        self.assertLess(ratio_depot, ratio_oral)
        self.assertLess(np.trapz(d[m], t[m]), np.trapz(o[m], t[m]))


if __name__ == "__main__":
    unittest.main()
