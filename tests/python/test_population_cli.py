"""`morsim population` from the command line: the file layout with units, percentile bands
that are ordered and agree with numpy on the stored subjects' outcomes, the same file for 1 and
2 threads, --seed changes the draws, and existing files and bad configs are refused.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR. Prints
'N passed, N failed'."""
import glob
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
CONFIG = os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")


def short_config():
    """The shipped config cut to 4 weeks, so that the test stays fast."""
    with open(CONFIG) as f:
        text = f.read()
    text = text.replace('end = "168 d"', 'end = "28 d"')
    text = text.replace("addl = 167", "addl = 27").replace("addl = 5 ", "addl = 0 ")
    return text


def run(*args):
    return subprocess.run([BIN, "population", *args], capture_output=True, text=True)


class PopulationCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.config = os.path.join(cls.tmp.name, "pop.toml")
        with open(cls.config, "w") as f:
            f.write(short_config())
        cls.one = os.path.join(cls.tmp.name, "one.h5")
        cls.two = os.path.join(cls.tmp.name, "two.h5")
        for out, threads in ((cls.one, "1"), (cls.two, "2")):
            r = run(cls.config, "-o", out, "--subjects", "16", "--threads", threads, "--seed", "7")
            if r.returncode != 0:
                raise RuntimeError(r.stderr)
        cls.stdout = r.stdout

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_layout_and_units(self):
        with h5py.File(self.one, "r") as f:
            self.assertEqual(f.attrs["filetype"], "morsim-population")
            self.assertEqual(int(f.attrs["subjects"]), 16)
            self.assertEqual(int(f.attrs["seed"]), 7)
            self.assertEqual(list(f.attrs["arms"]), ["oral", "depot"])
            self.assertEqual(f["subjects/parameters"].shape, (16, 5))
            for arm in ("oral", "depot"):
                g = f["arms"][arm]
                nt = g["time"].shape[0]
                self.assertEqual(nt, 28 * 12 + 1)  # every 2 h, both ends
                self.assertEqual(g["antagonist_occupancy"].shape, (5, nt))
                np.testing.assert_array_equal(g["percentile"][:], [5, 25, 50, 75, 95])
                for name in ("time", "antagonist_occupancy", "agonist_occupancy",
                             "subjects/protected_day_fraction", "subjects/rewarding_uses",
                             "subjects/first_rewarding_use_time"):
                    self.assertIn("units", g[name].attrs, name)
                    self.assertIn("long_name", g[name].attrs, name)
                self.assertIn("mean_protected_day_fraction", g["outcomes"].attrs)

    def test_bands_are_ordered(self):
        with h5py.File(self.one, "r") as f:
            for arm in ("oral", "depot"):
                b = f["arms"][arm]["antagonist_occupancy"][:]
                self.assertTrue(np.all(np.diff(b, axis=0) >= 0))
                self.assertTrue(np.all((b >= 0) & (b <= 1)))

    def test_outcome_summary_matches_subjects(self):
        with h5py.File(self.one, "r") as f:
            for arm in ("oral", "depot"):
                g = f["arms"][arm]
                prot = g["subjects/protected_day_fraction"][:]
                o = g["outcomes"].attrs
                self.assertAlmostEqual(o["mean_protected_day_fraction"], prot.mean(), places=12)
                self.assertAlmostEqual(o["median_protected_day_fraction"],
                                       np.percentile(prot, 50), places=12)
                self.assertAlmostEqual(o["mean_rewarding_uses"],
                                       g["subjects/rewarding_uses"][:].mean(), places=12)

    def test_threads_do_not_change_the_result(self):
        with h5py.File(self.one, "r") as a, h5py.File(self.two, "r") as b:
            np.testing.assert_array_equal(a["subjects/parameters"][:], b["subjects/parameters"][:])
            for arm in ("oral", "depot"):
                for name in ("antagonist_occupancy", "agonist_occupancy",
                             "subjects/protected_day_fraction", "subjects/heroin_uses",
                             "subjects/first_rewarding_use_time"):
                    np.testing.assert_array_equal(a["arms"][arm][name][:], b["arms"][arm][name][:])

    def test_seed_changes_draws(self):
        other = os.path.join(self.tmp.name, "other.h5")
        r = run(self.config, "-o", other, "--subjects", "4", "--seed", "8", "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        with h5py.File(self.one, "r") as a, h5py.File(other, "r") as b:
            self.assertFalse(np.array_equal(a["subjects/weight"][:4], b["subjects/weight"][:]))

    def test_existing_file_needs_force_and_nothing_is_left_behind(self):
        r = run(self.config, "-o", self.one, "--subjects", "2")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--force", r.stderr)
        self.assertEqual(glob.glob(os.path.join(self.tmp.name, "*.partial")), [])

    def test_summary_is_printed(self):
        self.assertIn("protected", self.stdout)
        self.assertIn("oral", self.stdout)

    def test_bad_parameter_is_a_usage_error(self):
        bad = os.path.join(self.tmp.name, "bad.toml")
        with open(bad, "w") as f:
            f.write(short_config().replace('"naltrexone.central_volume"', '"naltrexone.volum"'))
        r = run(bad, "-o", os.path.join(self.tmp.name, "bad.h5"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("volum", r.stderr)
        self.assertIn("allowed", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "bad.h5")))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
