"""`morsim plot` on files it cannot draw: one line naming the file and the problem, exit 2,
no traceback and no figure.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import shutil
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


class PlotBadFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.good = os.path.join(cls.tmp.name, "good.h5")
        r = subprocess.run([BIN, "run", os.path.join(SRC, "configs", "demo", "oral-blockade.toml"),
                            "-o", cls.good, "-q"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def variant(self, name, change):
        path = os.path.join(self.tmp.name, name + ".h5")
        shutil.copy(self.good, path)
        with h5py.File(path, "r+") as f:
            change(f)
        return path

    def plot(self, h5, figure="fig.png"):
        out = os.path.join(self.tmp.name, figure)
        r = subprocess.run([BIN, "plot", h5, "-o", out], capture_output=True, text=True,
                           timeout=120)
        return r, out

    def assertOneLine(self, r, out, *parts):
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        for p in parts:
            self.assertIn(p, r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_the_good_file_plots(self):
        r, out = self.plot(self.good, "good.png")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(out))

    def test_wrong_dataset_shape(self):
        def change(f):
            data = f["control/occupancy"][()]
            del f["control/occupancy"]
            f["control/occupancy"] = data[:, :1]
        r, out = self.plot(self.variant("shape", change))
        self.assertOneLine(r, out, "shape.h5", "occupancy has shape")

    def test_all_nan_data(self):
        def change(f):
            f["control/occupancy"][...] = np.nan
        r, out = self.plot(self.variant("nan", change))
        self.assertOneLine(r, out, "no finite values")

    def test_no_time_points(self):
        def change(f):
            for arm in ("control", "naltrexone"):
                for key in ("time", "plasma", "occupancy", "effect"):
                    data = f[arm][key][()]
                    del f[arm][key]
                    f[arm][key] = data[:0]
        r, out = self.plot(self.variant("empty", change))
        self.assertOneLine(r, out, "no time points")

    def test_unknown_format_version(self):
        def change(f):
            f.attrs["format_version"] = np.int64(99)
        r, out = self.plot(self.variant("future", change))
        self.assertOneLine(r, out, "format_version 99")

    def test_a_missing_folder_for_the_figure(self):
        r, out = self.plot(self.good, os.path.join("no-such-folder", "fig.png"))
        self.assertOneLine(r, out, "does not exist")


if __name__ == "__main__":
    unittest.main()
