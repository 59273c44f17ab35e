"""A sweep file opens in xarray without options: every group, every dataset on named
dimensions (scenario on axis 0, parameter, metric, trajectory_time and occupancy_kind on the
others, the error table on its own), with the values h5py reads from the same datasets. The
sweep names a metabolite's parameter in the model files' vocabulary (6-beta-naltrexol.partition).

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR. Prints
'N passed, N failed'."""
import os
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
BASE = os.path.join(SRC, "configs", "sweeps", "surmountability-base.toml")

# 3 x 2 x 2 = 12 scenarios with trajectories: a second or two.
SWEEP = """
[sweep]
base = "{base}"
arm = "depot"
window = "24 h"
rtol = 1e-3
[challenge]
formulation = "heroin-iv"
amount = "25 mg"
time = "1 d"
[[parameter]]
path = "challenge.time"
values = ["1 d", "10 d", "30 d"]
[[parameter]]
path = "challenge.amount"
values = ["25 mg", "100 mg"]
[[parameter]]
path = "6-beta-naltrexol.partition"
values = [0.5, 2]
[[metric]]
kind = "peak_agonist_occupancy"
[trajectories]
step = "6 h"
"""
N, T = 12, 5


def sweep(tmp, name, base):
    path = os.path.join(tmp, name + ".toml")
    with open(path, "w") as f:
        f.write(SWEEP.format(base=base))
    out = os.path.join(tmp, name + ".h5")
    r = subprocess.run([BIN, "sweep", path, "-o", out, "-q", "--threads", "1"],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return out


def groups(path):
    with h5py.File(path) as f:
        out = ["/"]
        f.visit(lambda n: out.append("/" + n) if isinstance(f[n], h5py.Group) else None)
    return out


class SweepXarray(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.good = sweep(cls.tmp.name, "good", BASE)
        # Every scenario fails (three solver steps are not enough): a non-empty error table.
        with open(BASE) as f:
            failing = f.read() + "\n[solver]\nmax_steps = 3\n"
        base = os.path.join(cls.tmp.name, "failing-base.toml")
        with open(base, "w") as f:
            f.write(failing)
        cls.failing = sweep(cls.tmp.name, "failing", base)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_group_opens_with_named_dimensions(self):
        for path in (self.good, self.failing):
            for g in groups(path):
                with self.subTest(file=os.path.basename(path), group=g):
                    with xr.open_dataset(path, group=g) as ds:
                        for name, var in ds.variables.items():
                            for d in var.dims:
                                self.assertFalse(d.startswith("phony_dim"), f"{g}/{name}: {d}")

    def test_matrices_on_scenario_and_their_names(self):
        with xr.open_dataset(self.good, group="sweep") as ds, h5py.File(self.good) as f:
            self.assertEqual(ds["parameters"].dims, ("scenario", "parameter"))
            self.assertEqual(ds["metrics"].dims, ("scenario", "metric"))
            self.assertEqual(ds["status"].dims, ("scenario",))
            self.assertEqual(ds["trajectories"].dims,
                             ("scenario", "trajectory_time", "occupancy_kind"))
            self.assertEqual(ds["trajectories"].shape, (N, T, 2))
            np.testing.assert_array_equal(ds["scenario"].values, np.arange(N))
            self.assertEqual(list(ds["parameter"].values.astype(str)),
                             ["challenge.time", "challenge.amount", "6-beta-naltrexol.partition"])
            np.testing.assert_array_equal(ds["parameters"].values, f["sweep/parameters"][()])
            np.testing.assert_array_equal(ds["metrics"].values, f["sweep/metrics"][()])
            # Selecting by name: the partition column holds the two values swept.
            part = ds["parameters"].sel(parameter="6-beta-naltrexol.partition").values
            self.assertEqual(sorted(set(part.tolist())), [0.5, 2.0])
            peak = ds["metrics"].values[:, 0]
            self.assertTrue(np.all((peak > 0) & (peak <= 1)), peak)
            self.assertEqual(ds.sizes["errors"], 0)

    def test_error_table_opens_on_its_own_dimension(self):
        with xr.open_dataset(self.failing, group="sweep") as ds:
            self.assertTrue(np.all(ds["status"].values == 2))
            self.assertEqual(ds.sizes["errors"], N)
            rows = ds["errors"].values
            self.assertEqual(sorted(int(r[0]) for r in rows), list(range(N)))
            self.assertIn("max_steps", rows[0][1].decode())


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
