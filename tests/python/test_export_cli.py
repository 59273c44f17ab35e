"""`morsim export FILE.h5 --csv DIR`: the CSV files hold the same numbers as the HDF5 file, in
the units their column names state, and existing files are protected.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import csv
import os
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


class ExportCsv(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.h5 = os.path.join(cls.tmp.name, "oral.h5")
        cls.dir = os.path.join(cls.tmp.name, "csv")
        cfg = os.path.join(SRC, "configs", "demo", "oral-blockade.toml")
        r = subprocess.run([BIN, "run", cfg, "-o", cls.h5, "-q"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        cls.export = subprocess.run([BIN, "export", cls.h5, "--csv", cls.dir, "-q"],
                                    capture_output=True, text=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_time_course_equals_the_hdf5_data(self):
        self.assertEqual(self.export.returncode, 0, self.export.stderr)
        header, rows = read_csv(os.path.join(self.dir, "naltrexone.csv"))
        data = np.array([[float(c) if c else np.nan for c in r] for r in rows])
        with h5py.File(self.h5, "r") as f:
            g = f["naltrexone"]
            compounds = [c.decode() if isinstance(c, bytes) else c for c in g["compound"][()]]
            k = compounds.index("naltrexone")
            # A 10-day run: times in days (hours in the HDF5 file).
            np.testing.assert_allclose(24.0 * data[:, header.index("time_d")], g["time"][()],
                                       rtol=1e-9)
            np.testing.assert_allclose(data[:, header.index("plasma_naltrexone_nM")],
                                       g["plasma"][:, k], rtol=1e-9, atol=1e-300)
            np.testing.assert_allclose(data[:, header.index("occupancy_naltrexone_percent")],
                                       100 * g["occupancy"][:, k], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(data[:, header.index("effect_percent")],
                                       100 * g["effect"][()], rtol=1e-9, atol=1e-12)

    def test_doses_and_challenges(self):
        header, rows = read_csv(os.path.join(self.dir, "naltrexone-doses.csv"))
        with h5py.File(self.h5, "r") as f:
            self.assertEqual(len(rows), len(f["naltrexone/doses/time_h"][()]))
        statuses = {r[header.index("status")] for r in rows}
        self.assertIn("missed", statuses)  # the lesson skips two tablets
        header, rows = read_csv(os.path.join(self.dir, "challenges.csv"))
        heroin = [r for r in rows if r[0] == "naltrexone"]
        self.assertEqual(len(heroin), 3)  # three 25 mg challenges
        block = [float(r[header.index("blockade_percent")]) for r in heroin]
        self.assertTrue(all(0 < b < 100 for b in block), block)
        # As in the run table, the control arm is not compared with itself: no blockade.
        control = [r for r in rows if r[0] == "control"]
        self.assertEqual(len(control), 3)
        for r in control:
            self.assertEqual(r[header.index("blockade_percent")], "")
            self.assertEqual(r[header.index("control_peak_effect_percent")], "")

    def test_existing_files_are_protected(self):
        r = subprocess.run([BIN, "export", self.h5, "--csv", self.dir], capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--force", r.stderr)
        r = subprocess.run([BIN, "export", self.h5, "--csv", self.dir, "--force", "-q"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
