#!/usr/bin/python3
"""The results file of `morsim run` read with h5py and xarray, and the figure of `morsim plot`.

Run by CTest with Debian's /usr/bin/python3 (h5py, xarray, h5netcdf, matplotlib) and
MORSIM_BIN = the morsim executable, MORSIM_SOURCE_DIR = the source tree. Layout: docs/output.md.
"""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "")
SOURCE_DIR = os.environ.get("MORSIM_SOURCE_DIR", os.getcwd())
CONFIG = os.path.join(SOURCE_DIR, "configs", "reference", "ref-v1-control.toml")

CONSERVATION_TOL = 1e-9  # receptor fractions sum to 1; the solver's atol is 1e-9 or tighter
BOUND_TOL = 1e-12  # occupancy may round a hair outside [0, 1], never more
GRID_TOL = 1e-9  # times are computed as t0 + i*dt, not accumulated
PER_TIME_COMPOUND = ("plasma", "brain", "occupancy")
PER_TIME = ("free_receptor", "effect")
DOSE_COLUMNS = ("time_h", "intended_time_h", "compound", "formulation", "route", "amount_mg",
                "status")


def run_morsim(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise AssertionError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class ResultsFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BIN or not os.access(BIN, os.X_OK):
            raise AssertionError(f"MORSIM_BIN is not an executable: {BIN!r}")
        if not os.path.isfile(CONFIG):
            raise AssertionError(f"missing reference config {CONFIG}")
        cls.tmp = tempfile.mkdtemp(prefix="morsim_py_")
        cls.path = os.path.join(cls.tmp, "out.h5")
        cls.run_result = run_morsim("run", CONFIG, "-o", cls.path)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.assertEqual(self.run_result.returncode, 0,
                         f"morsim run failed:\n{self.run_result.stderr}")
        self.file = h5py.File(self.path, "r")
        self.arms = [n for n in self.file if isinstance(self.file[n], h5py.Group)]
        self.assertTrue(self.arms, "no arm groups")

    def tearDown(self):
        self.file.close()

    def test_no_partial_file_left(self):
        self.assertEqual([f for f in os.listdir(self.tmp) if ".partial" in f], [])

    def test_root_attributes(self):
        a = self.file.attrs
        self.assertEqual(text(a["filetype"]), "morsim-results")
        self.assertEqual(int(a["format_version"]), 2)  # 2: lesson groups (docs/output.md)
        for key in ("morsim_version", "git_sha", "scenario", "config"):
            self.assertTrue(text(a[key]), key)
        self.assertRegex(text(a["created_utc"]), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertTrue(text(a["config_path"]).endswith("ref-v1-control.toml"))
        self.assertIn(text(a["solver"]), ("rosenbrock4", "dopri5"))
        self.assertIn(text(a["binding_mode"]), ("kinetic", "equilibrium"))
        self.assertGreater(float(a["rtol"]), 0)
        self.assertGreater(float(a["atol"]), 0)

    def test_every_dataset_has_units_and_long_name(self):
        missing = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                missing.extend(f"{name}:{k}" for k in ("units", "long_name") if k not in obj.attrs)

        self.file.visititems(visit)
        self.assertEqual(missing, [])

    def test_arm_datasets_shapes_and_units(self):
        for arm in self.arms:
            with self.subTest(arm=arm):
                g = self.file[arm]
                nt, nk = g["time"].shape[0], g["compound"].shape[0]
                self.assertGreater(nk, 0)
                for name in PER_TIME_COMPOUND:
                    self.assertEqual(g[name].shape, (nt, nk), name)
                for name in PER_TIME:
                    self.assertEqual(g[name].shape, (nt,), name)
                units = {n: text(g[n].attrs["units"]) for n in ("time", *PER_TIME_COMPOUND,
                                                                *PER_TIME)}
                self.assertEqual(units, {"time": "h", "plasma": "nM", "brain": "nM",
                                         "occupancy": "1", "free_receptor": "1", "effect": "1"})
                self.assertEqual(text(g["time"].attrs["axis"]), "T")
                self.assertEqual(text(g.attrs["arm"]), arm)
                compounds = set(g["compound"].asstr()[()])
                roles = [text(c) for c in (*g.attrs["agonists"], *g.attrs["antagonists"])]
                self.assertTrue(set(roles) <= compounds, roles)
                self.assertGreater(int(g.attrs["solver_steps"]), 0)

    def test_time_grid_is_0_to_72_by_0_1(self):
        for arm in self.arms:
            with self.subTest(arm=arm):
                t = self.file[arm]["time"][()]
                self.assertAlmostEqual(t[0], 0.0, delta=GRID_TOL)
                self.assertAlmostEqual(t[-1], 72.0, delta=GRID_TOL)
                self.assertEqual(len(t), 721)
                np.testing.assert_allclose(np.diff(t), 0.1, atol=GRID_TOL)

    def test_occupancy_is_a_fraction_and_receptors_are_conserved(self):
        for arm in self.arms:
            with self.subTest(arm=arm):
                g = self.file[arm]
                occ, free = g["occupancy"][()], g["free_receptor"][()]
                self.assertGreaterEqual(occ.min(), -BOUND_TOL)
                self.assertLessEqual(occ.max(), 1 + BOUND_TOL)
                np.testing.assert_allclose(free + occ.sum(axis=1), 1.0, rtol=0,
                                           atol=CONSERVATION_TOL)
                effect = g["effect"][()]
                self.assertGreaterEqual(effect.min(), -BOUND_TOL)
                self.assertLessEqual(effect.max(), 1 + BOUND_TOL)

    def test_dose_table(self):
        for arm in self.arms:
            with self.subTest(arm=arm):
                d = self.file[arm]["doses"]
                n = d["dose"].shape[0]
                for col in DOSE_COLUMNS:
                    self.assertEqual(d[col].shape, (n,), col)
                self.assertTrue(set(d["status"].asstr()[()]) <= {"taken", "late", "missed"})
                self.assertTrue(np.all(np.diff(d["time_h"][()]) >= 0), "applied-time order")

    def test_xarray_opens_each_arm_with_named_dimensions(self):
        import xarray as xr

        for arm in self.arms:
            with self.subTest(arm=arm):
                with xr.open_dataset(self.path, group=arm, engine="h5netcdf") as ds:
                    self.assertEqual(set(ds.dims), {"time", "compound"})
                    for name in PER_TIME_COMPOUND:
                        self.assertEqual(ds[name].dims, ("time", "compound"), name)
                    for name in PER_TIME:
                        self.assertEqual(ds[name].dims, ("time",), name)
                    self.assertEqual(ds["occupancy"].attrs["units"], "1")
                    names = [text(c) for c in ds["compound"].values]
                    occ = ds["occupancy"].sel(compound=names[0]).values
                    self.assertEqual(occ.shape, (ds.sizes["time"],))
                with xr.open_dataset(self.path, group=f"{arm}/doses", engine="h5netcdf") as ds:
                    self.assertEqual(set(ds.dims), {"dose"})

    def test_existing_file_is_not_overwritten(self):
        with open(self.path, "rb") as f:
            before = f.read()
        again = run_morsim("run", CONFIG, "-o", self.path)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("--force", again.stderr)
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_plot_png(self):
        fig = os.path.join(self.tmp, "fig.png")
        r = run_morsim("plot", self.path, "-o", fig)
        self.assertEqual(r.returncode, 0, r.stderr)
        width, height = png_size(fig)
        self.assertGreaterEqual(width, 800)
        self.assertGreaterEqual(height, 600)
        self.assertEqual([f for f in os.listdir(self.tmp) if ".partial" in f], [])

    def test_plot_pdf(self):
        fig = os.path.join(self.tmp, "fig.pdf")
        r = run_morsim("plot", self.path, "-o", fig)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(fig, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    # A test with several failing subtests counts once; a failed setUpClass counts once.
    failed_ids = {getattr(t, "test_case", t).id() for t, _ in result.failures + result.errors}
    failed = len(failed_ids)
    passed = max(0, result.testsRun - len(result.skipped) - failed)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
