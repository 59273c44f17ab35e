#!/usr/bin/python3
"""morsim's FDA opioid-overdose scenarios agree with an independent scipy solution.

Runs benchmarks/peers/fda_scipy_crosscheck.py (the PK and binding part of Mann et al. 2022
written directly from the paper, solved with scipy's Radau at rtol 1e-10) for scenarios b
(fentanyl + IM naloxone), d (carfentanil + IM naloxone) and f (fentanyl + IV naloxone pulse
train), against `morsim run configs/crosscheck/fda-X.toml`. Run by CTest with Debian's
/usr/bin/python3 and MORSIM_BIN = the morsim executable, MORSIM_SOURCE_DIR = the source tree.
"""
import importlib.util
import os
import sys
import tempfile
import unittest

BIN = os.environ.get("MORSIM_BIN", "")
SOURCE_DIR = os.environ.get("MORSIM_SOURCE_DIR", os.getcwd())
PEER = os.path.join(SOURCE_DIR, "benchmarks", "peers", "fda_scipy_crosscheck.py")

OCC_TOL = 1e-4  # max |occupancy difference| over the 0-120 min grid
PLASMA_TOL = 1e-3  # max relative plasma difference (floor 1e-6 x the compound's peak)


def load_peer():
    spec = importlib.util.spec_from_file_location("fda_scipy_crosscheck", PEER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class FdaCrosscheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BIN or not os.path.exists(BIN):
            raise unittest.SkipTest("MORSIM_BIN is not set to the morsim executable")
        cls.peer = load_peer()
        cls.work = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def check(self, scenario):
        occ, rel, n = self.peer.compare(scenario, BIN, SOURCE_DIR, self.work.name)
        print(f"  scenario {scenario}: {n} samples, max |d occ| {occ:.3e}, "
              f"max rel d plasma {rel:.3e}")
        self.assertEqual(n, 1201)
        self.assertLessEqual(occ, OCC_TOL)
        self.assertLessEqual(rel, PLASMA_TOL)

    def test_b_fentanyl_naloxone_im(self):
        self.check("b")

    def test_d_carfentanil_naloxone_im(self):
        self.check("d")

    def test_f_fentanyl_naloxone_iv_pulse_train(self):
        self.check("f")

    def test_peer_pulse_train_is_1_01_dose(self):
        doses = self.peer.doses(None, "iv", 0.0)
        self.assertEqual(len(doses), 101)
        total_mg = sum(a for _, _, a in doses) * self.peer.NLX["MW"] / 1e6
        self.assertAlmostEqual(total_mg, 2.02, places=12)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
