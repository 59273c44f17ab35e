"""A population file opens in xarray without options: every group, with named dimensions, and
the per-subject outcomes of each arm on the same subject dimension as /subjects (the values
compared with h5py's reading of the same datasets).

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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_population_cli import BIN, short_config  # noqa: E402

SUBJECTS = 6


class PopulationXarray(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        config = os.path.join(cls.tmp.name, "pop.toml")
        with open(config, "w") as f:
            f.write(short_config())
        cls.h5 = os.path.join(cls.tmp.name, "pop.h5")
        r = subprocess.run([BIN, "population", config, "-o", cls.h5, "-q", "--subjects",
                            str(SUBJECTS), "--seed", "3"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        with h5py.File(cls.h5) as f:
            cls.groups = ["/"]
            f.visit(lambda n: cls.groups.append("/" + n) if isinstance(f[n], h5py.Group)
                    else None)
            cls.arms = list(f["arms"].keys())

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_group_opens(self):
        for g in self.groups:
            with self.subTest(group=g):
                with xr.open_dataset(self.h5, group=g) as ds:
                    for name, var in ds.variables.items():
                        for d in var.dims:
                            self.assertFalse(d.startswith("phony_dim"), f"{g}/{name}: {d}")

    def test_subject_dimension_on_outcomes(self):
        self.assertGreaterEqual(len(self.arms), 2)
        with h5py.File(self.h5) as f:
            for arm in self.arms:
                g = f"/arms/{arm}/subjects"
                with xr.open_dataset(self.h5, group=g) as ds:
                    self.assertEqual(ds.sizes["subject"], SUBJECTS)
                    np.testing.assert_array_equal(ds["subject"].values, np.arange(SUBJECTS))
                    for name in ("protected_day_fraction", "heroin_uses", "rewarding_uses"):
                        self.assertEqual(ds[name].dims, ("subject",))
                        np.testing.assert_array_equal(ds[name].values, f[g][name][()])

    def test_bands_have_named_dimensions(self):
        with xr.open_dataset(self.h5, group=f"/arms/{self.arms[0]}") as ds:
            self.assertEqual(ds["antagonist_occupancy"].dims, ("percentile", "time"))
            np.testing.assert_array_equal(ds["percentile"].values, [5, 25, 50, 75, 95])


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
