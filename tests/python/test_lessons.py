"""The lessons of naltrexone (schild, agonist-vs-antagonist, kinetic-vs-equilibrium): their
numbers, read from the HDF5 files the demos write, say what the lessons claim."""
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

MORSIM = os.environ.get("MORSIM_BIN", "build/bin/morsim")


def names(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def run_demo(name, tmp):
    out = subprocess.run([MORSIM, "demo", name, "--no-plot"], cwd=tmp, capture_output=True,
                         text=True, timeout=120)
    if out.returncode != 0:
        raise AssertionError(out.stderr)
    return os.path.join(tmp, name + ".h5")


def challenge_on_top(arm, t_challenge):
    """Effect when heroin comes, peak effect after, and heroin-derived peak occupancy."""
    t = arm["time"][()]
    comp = names(arm["compound"][()])
    occ, eff = arm["occupancy"][()], arm["effect"][()]
    i0 = np.searchsorted(t, t_challenge, side="right") - 1
    heroin = [comp.index(c) for c in ("heroin", "6-MAM", "morphine")]
    return eff[i0], eff[i0:].max(), occ[i0:][:, heroin].sum(axis=1).max()


class LessonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_schild_slope_one_and_dose_ratios(self):
        with h5py.File(run_demo("schild", self.tmp.name), "r") as f:
            g = f["schild"]
            self.assertEqual(f.attrs["figure"], "schild")
            self.assertAlmostEqual(float(g.attrs["schild_slope"]), 1.0, delta=0.05)
            dr, pred = g["dose_ratio"][()], g["predicted_dose_ratio"][()]
            n = g["antagonist_brain"][()]
            self.assertEqual(n[0], 0.0)
            self.assertGreaterEqual(len(dr), 4)
            np.testing.assert_allclose(dr, pred, rtol=0.02)
            # The slope again, fitted here from the stored dose ratios.
            slope = np.polyfit(np.log10(n[1:]), np.log10(dr[1:] - 1), 1)[0]
            self.assertAlmostEqual(slope, 1.0, delta=0.05)
            kd = float(g.attrs["antagonist_kd_nM"])
            self.assertAlmostEqual(1e9 * 10 ** -float(g.attrs["pA2"]) / kd, 1.0, delta=0.05)
            # Surmountable: every curve reaches (nearly) full occupancy at the top rate.
            occ = g["occupancy"][()]
            self.assertEqual(occ.shape, (len(n), len(g["agonist_rate"][()])))
            self.assertTrue((occ[:, -1] > 0.9).all())
            self.assertTrue((np.diff(occ, axis=1) > 0).all())

    def test_agonist_vs_antagonist_ordering(self):
        with h5py.File(run_demo("agonist-vs-antagonist", self.tmp.name), "r") as f:
            t_h = 14 * 24.0
            res = {a: challenge_on_top(f[a], t_h)
                   for a in ("control", "naltrexone", "buprenorphine", "methadone")}
            inc = {a: peak - before for a, (before, peak, _) in res.items()}
            # Every maintenance drug blunts the challenge. That naltrexone at this dose blunts it
            # less than buprenorphine is the calibrated model's answer, which disagrees with
            # clinical experience (docs/validation.md, "Blockade of a heroin challenge").
            self.assertLess(inc["naltrexone"], inc["control"])
            self.assertLess(inc["buprenorphine"], inc["control"])
            self.assertLess(inc["methadone"], inc["buprenorphine"])
            # The antagonist gives no effect of its own; the agonists do, buprenorphine capped.
            self.assertLess(res["naltrexone"][0], 0.01)
            self.assertGreater(res["methadone"][0], res["buprenorphine"][0])
            self.assertGreater(res["buprenorphine"][0], 0.1)
            bup = f["buprenorphine"]
            k = names(bup["compound"][()]).index("buprenorphine")
            self.assertGreater(bup["occupancy"][()][:, k].max(), 0.8)
            self.assertLess(bup["effect"][()].max(), res["control"][1])

    def test_kinetic_vs_equilibrium_both_modes_in_one_file(self):
        with h5py.File(run_demo("kinetic-vs-equilibrium", self.tmp.name), "r") as f:
            arms = [n for n in f if isinstance(f[n], h5py.Group)]
            for a in ("heroin-kinetic", "heroin-equilibrium", "buprenorphine-heroin-kinetic",
                      "buprenorphine-heroin-equilibrium"):
                self.assertIn(a, arms)
            self.assertIn("heroin-equilibrium", f.attrs["equilibrium_arms"])
            _, _, hk = challenge_on_top(f["buprenorphine-heroin-kinetic"], 24.0)
            _, _, he = challenge_on_top(f["buprenorphine-heroin-equilibrium"], 24.0)
            self.assertLess(hk, he - 0.05)  # slow buprenorphine dissociation shields receptors
            _, pk, _ = challenge_on_top(f["heroin-kinetic"], 24.0)
            _, pe, _ = challenge_on_top(f["heroin-equilibrium"], 24.0)
            self.assertAlmostEqual(pk, pe, delta=0.03)  # heroin alone: binding keeps up


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
