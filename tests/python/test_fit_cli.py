#!/usr/bin/python3
"""`morsim fit` from the command line: the HDF5 layout of docs/output.md read with h5py and
xarray and checked against itself (residuals, objective, curves), the figure, the printed
report and TOML snippet, --check, and the exit codes 0, 1 and 2.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR. Prints
'N passed, N failed'."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import xarray as xr

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
DATA = os.path.join(SRC, "tests", "data", "fit")
TRUE = {"drug.clearance": 10.0, "drug.central_volume": 50.0, "drug.ke0": 1.0}


def run(*args):
    return subprocess.run([BIN, "fit", *args], capture_output=True, text=True, timeout=600)


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


class FitCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = os.path.join(cls.tmp.name, "fit")
        shutil.copytree(DATA, cls.dir)
        cls.h5 = os.path.join(cls.tmp.name, "fit.h5")
        cls.png = os.path.join(cls.tmp.name, "fit.png")
        cls.main = run(os.path.join(cls.dir, "onecpt-fit.toml"), "-o", cls.h5, "--plot", cls.png,
                      "--threads", "2")
        if cls.main.returncode != 0:
            raise RuntimeError(cls.main.stderr)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def fit_file(self, name, text_):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text_)
        return path

    def original(self):
        with open(os.path.join(self.dir, "onecpt-fit.toml")) as f:
            return f.read()

    def test_root_and_summary_attributes(self):
        with h5py.File(self.h5, "r") as f:
            self.assertEqual(text(f.attrs["filetype"]), "morsim-fit")
            self.assertEqual(int(f.attrs["format_version"]), 1)
            self.assertIn("morsim fit", text(f.attrs["command"]))
            self.assertTrue(text(f.attrs["morsim_version"]))
            self.assertIn("[[parameter]]", text(f.attrs["config"]))
            a = f["fit"].attrs
            for key in ("objective_start", "objective", "iterations", "seconds", "termination",
                        "reduced_chi_square", "n_residuals"):
                self.assertIn(key, a)
            self.assertEqual(text(a["termination"]), "CONVERGENCE")
            self.assertEqual(int(a["n_residuals"]), 25)
            self.assertGreater(float(a["objective_start"]), 10 * float(a["objective"]))
            self.assertGreater(int(a["iterations"]), 0)
            self.assertEqual([text(x) for x in a["datasets"]], ["plasma", "occupancy"])

    def test_parameters_recover_the_truth(self):
        with h5py.File(self.h5, "r") as f:
            p = f["fit/parameters"]
            paths = [text(x) for x in p["path"][()]]
            self.assertEqual(paths, list(TRUE))
            self.assertEqual([text(x) for x in p["unit"][()]], ["L/h", "L", "/h"])
            np.testing.assert_allclose(p["initial"][()], [6, 80, 0.3])
            np.testing.assert_allclose(p["lower"][()], [0.5, 5, 0.01])
            np.testing.assert_allclose(p["upper"][()], [100, 1000, 20])
            est, se = p["estimate"][()], p["standard_error"][()]
            self.assertTrue(np.all(p["identified"][()] == 1))
            for i, name in enumerate(paths):
                self.assertGreater(se[i], 0)
                self.assertLess(abs(est[i] - TRUE[name]), 3 * se[i], name)
            for name in ("path", "estimate", "standard_error", "identified"):
                self.assertIn("units", p[name].attrs)
                self.assertIn("long_name", p[name].attrs)
            c = f["fit/correlation"][()]
            self.assertEqual(c.shape, (3, 3))
            np.testing.assert_allclose(np.diag(c), 1, atol=1e-12)
            np.testing.assert_allclose(c, c.T, atol=1e-12)
            self.assertTrue(np.all(np.abs(c) <= 1 + 1e-12))

    def test_residuals_and_objective_are_consistent(self):
        with h5py.File(self.h5, "r") as f:
            a = f["fit"].attrs
            total = 0.0
            for name in ("plasma", "occupancy"):
                g = f["fit/datasets"][name]
                obs, sig, mod, wr = (g[k][()] for k in ("observed", "sigma", "model",
                                                        "weighted_residual"))
                if int(g.attrs["log"]):
                    expected = (np.log(mod) - np.log(obs)) / (sig / obs)
                else:
                    expected = (mod - obs) / sig
                np.testing.assert_allclose(wr, expected, rtol=1e-10, atol=1e-12)
                total += 0.5 * np.sum(wr ** 2)
                self.assertAlmostEqual(float(g.attrs["max_deviation"]),
                                       float(np.max(np.abs(np.log(mod) - np.log(obs))
                                                    if int(g.attrs["log"]) else
                                                    np.abs(mod - obs))), places=10)
            self.assertAlmostEqual(total, float(a["objective"]), places=8)
            self.assertAlmostEqual(float(a["reduced_chi_square"]), 2 * total / (25 - 3), places=8)
            g = f["fit/datasets/occupancy"]
            self.assertEqual(text(g.attrs["unit"]), "%")
            self.assertEqual(text(g.attrs["quantity"]), "occupancy")
            self.assertEqual(set(text(x) for x in g["arm"][()]), {"oral"})
            self.assertEqual(list(g["line"][()]), list(range(5, 13)))  # after 2 comments + 2

    def test_curves_pass_through_the_model_values(self):
        with h5py.File(self.h5, "r") as f:
            g = f["fit/datasets/plasma"]
            t, model, arms = g["time_h"][()], g["model"][()], [text(x) for x in g["arm"][()]]
            for arm in ("iv", "oral"):
                c = f["fit/curves/plasma"][arm]
                self.assertEqual(text(c["model"].attrs["units"]), "ng/mL")
                ct, cy = c["t_h"][()], c["model"][()]
                self.assertTrue(np.all(np.diff(ct) > 0))
                sel = np.array([a == arm for a in arms])
                np.testing.assert_allclose(np.interp(t[sel], ct, cy), model[sel], rtol=1e-6)
            self.assertEqual(list(f["fit/curves/occupancy"]), ["oral"])

    def test_xarray_opens_every_group(self):
        ds = xr.open_dataset(self.h5, group="fit/parameters", engine="h5netcdf")
        self.assertEqual(list(ds["path"].values), list(TRUE))
        ds = xr.open_dataset(self.h5, group="fit", engine="h5netcdf")
        self.assertEqual(ds["correlation"].dims, ("parameter", "parameter_column"))
        ds = xr.open_dataset(self.h5, group="fit/datasets/plasma", engine="h5netcdf")
        self.assertEqual(ds.sizes["observation"], 17)
        ds = xr.open_dataset(self.h5, group="fit/curves/plasma/oral", engine="h5netcdf")
        self.assertGreater(ds.sizes["t_h"], 1000)

    def test_report_snippet_progress_and_figure(self):
        out = self.main.stdout
        self.assertIn("CONVERGENCE", out)
        self.assertIn("reduced chi-square", out)
        self.assertIn("# fitted by: morsim fit", out)
        self.assertIn("[pk]", out)
        self.assertIn("[brain]", out)
        self.assertRegex(out, r'clearance = \{ value = "[0-9.]+ L/h", source = "fit: .* to '
                              r'plasma, occupancy \(SE [0-9.]+ L/h\)" \}')
        self.assertIn("weighted residual", out)
        self.assertIn("iteration", self.main.stderr)
        self.assertTrue(is_png(self.png))
        self.assertGreater(os.path.getsize(self.png), 10000)

    def test_window_statistics_fit_and_plot(self):
        h5 = os.path.join(self.tmp.name, "summary.h5")
        png = os.path.join(self.tmp.name, "summary.png")
        r = run(os.path.join(self.dir, "onecpt-summary.toml"), "-o", h5, "--plot", png, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout + r.stderr, "")
        self.assertTrue(is_png(png))
        with h5py.File(h5, "r") as f:
            est = dict(zip([text(x) for x in f["fit/parameters/path"][()]],
                           f["fit/parameters/estimate"][()]))
            self.assertAlmostEqual(est["drug.central_volume"], 50, delta=0.5)
            self.assertAlmostEqual(est["drug-oral.bioavailability"], 0.6, delta=0.01)
            self.assertAlmostEqual(est["drug-oral.gut.transit[0]"], 1.5, delta=0.05)
            self.assertTrue(np.isnan(f["fit/datasets/tmax/time_h"][0]))
            self.assertEqual(text(f["fit/datasets/tmax"].attrs["unit"]), "min")

    def test_check_exit_codes(self):
        r = run(os.path.join(self.dir, "onecpt-fit.toml"), "--check")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("check passed", r.stdout)
        r = run(os.path.join(self.dir, "onecpt-check-fails.toml"), "--check")
        self.assertEqual(r.returncode, 1)
        self.assertIn("EXCEEDED", r.stdout)
        r = run(os.path.join(self.dir, "onecpt-check-fails.toml"), "--check", "-q")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("EXCEEDED", r.stderr)  # a failing check is reported even when quiet
        r = run(os.path.join(self.dir, "onecpt-fit.toml"), "--check", "-o", "x.h5")
        self.assertEqual(r.returncode, 2)
        no_tol = self.fit_file("no-tolerance.toml",
                               self.original().replace("tolerance = 8 ", "# tolerance = 8 "))
        r = run(no_tol, "--check")
        self.assertEqual(r.returncode, 2)
        self.assertIn("dataset[1].tolerance: missing", r.stderr)

    def test_bad_input_is_exit_2_before_any_work(self):
        bad = self.fit_file("bad.toml", self.original().replace('path = "drug.ke0"',
                                                                'path = "drug.keo"'))
        out = os.path.join(self.tmp.name, "bad.h5")
        r = run(bad, "-o", out)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"bad\.toml:\d+: parameter\[2\]\.path: .*no parameter with "
                                   r"this path.*did you mean 'drug.ke0'")
        self.assertNotIn("iteration", r.stderr)  # nothing ran
        self.assertFalse(os.path.exists(out))
        r = run(os.path.join(self.dir, "onecpt-fit.toml"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("-o/--output is required", r.stderr)

    def test_existing_output_needs_force_and_nothing_is_left_behind(self):
        r = run(os.path.join(self.dir, "onecpt-fit.toml"), "-o", self.h5)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--force", r.stderr)
        self.assertEqual(glob.glob(os.path.join(self.tmp.name, "*.partial")), [])

    def test_a_model_that_cannot_be_evaluated_is_exit_1(self):
        # The IV curve never falls to half its peak within [0 h, 1 h]: no statistic to fit.
        with open(os.path.join(self.dir, "fall.csv"), "w") as f:
            f.write("group,value,sd\n,h,h\niv,0.5,0.1\n")
        path = self.fit_file("fall.toml", "\n".join([
            '[fit]', 'name = "fall"', '[[parameter]]', 'path = "drug.clearance"',
            'initial = "1 L/h"', '[[dataset]]', 'name = "fall"', 'file = "fall.csv"',
            'scenario = "onecpt.toml"', 'quantity = "plasma"', 'compounds = ["drug"]',
            'statistic = "fall_to_half_peak"', 'window = ["0 h", "1 h"]', '']))
        out = os.path.join(self.tmp.name, "fall.h5")
        r = run(path, "-o", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("fall_to_half_peak", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_set_moves_the_shipped_values(self):
        r = run(os.path.join(self.dir, "onecpt-fit.toml"), "--check", "--set",
                "drug.clearance=30 L/h")
        self.assertEqual(r.returncode, 1)
        r = run(os.path.join(self.dir, "onecpt-fit.toml"), "--check", "--set", "drugg.ke0=1 /h")
        self.assertEqual(r.returncode, 2)
        self.assertIn("did you mean 'drug'", r.stderr)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
