"""`morsim sweep` from the command line: the file opens in h5py, Ctrl-C leaves a valid file,
--resume completes it to the same data as a clean run, and existing files are protected.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import signal
import subprocess
import tempfile
import time
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BASE = os.path.join(SRC, "configs", "sweeps", "surmountability-base.toml")

# 12000 scenarios at the default tolerance: ~4 s on two cores, long enough to be interrupted
# midway.
SWEEP = f"""
[sweep]
base = "{BASE}"
arm = "depot"
window = "48 h"
[challenge]
formulation = "heroin-iv"
amount = "25 mg"
time = "1 d"
[[parameter]]
path = "challenge.time"
range = {{ from = "1 d", to = "40 d", n = 40 }}
[[parameter]]
path = "challenge.amount"
range = {{ from = "1 mg", to = "500 mg", n = 300, scale = "log" }}
[[metric]]
kind = "peak_agonist_occupancy"
[[metric]]
kind = "agonist_auc"
"""


def run(*args, **kw):
    return subprocess.run([BIN, "sweep", *args], capture_output=True, text=True, **kw)


class SweepCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.sweep = os.path.join(cls.tmp.name, "s.toml")
        with open(cls.sweep, "w") as f:
            f.write(SWEEP)
        cls.clean = os.path.join(cls.tmp.name, "clean.h5")
        r = run(cls.sweep, "-o", cls.clean, "--threads", "2")
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_layout(self):
        with h5py.File(self.clean, "r") as f:
            self.assertEqual(f["sweep/parameters"].shape, (12000, 2))
            self.assertEqual(f["sweep/metrics"].shape, (12000, 2))
            self.assertEqual(list(f["sweep/parameter"].asstr()[:]),
                             ["challenge.time", "challenge.amount"])
            self.assertEqual(list(f["sweep/parameters"].attrs["units"]), ["h", "mg"])
            self.assertTrue(np.all(f["sweep/status"][:] == 1))
            self.assertEqual(f.attrs["complete"], 1)
            self.assertEqual(f.attrs["sweep_text"], SWEEP)
            peak = f["sweep/metrics"][:, 0]
            self.assertTrue(np.all((peak > 0) & (peak <= 1)))
            self.assertEqual(f["sweep/errors"].shape, (0,))

    def test_interrupt_and_resume_equal_clean_run(self):
        out = os.path.join(self.tmp.name, "r.h5")
        p = subprocess.Popen([BIN, "sweep", self.sweep, "-o", out, "--threads", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 1, err)
        self.assertIn("--resume", err)
        with h5py.File(out, "r") as f:  # valid after the interruption
            status = f["sweep/status"][:]
            self.assertEqual(f.attrs["complete"], 0)
        self.assertGreater((status == 1).sum(), 0)
        self.assertGreater((status == 0).sum(), 0)
        # Without --resume an existing file is refused.
        r = run(self.sweep, "-o", out)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--resume", r.stderr)
        r = run(self.sweep, "-o", out, "--resume", "--threads", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(out, "r") as a, h5py.File(self.clean, "r") as b:
            for name in ("parameters", "metrics", "status"):
                np.testing.assert_array_equal(a["sweep/" + name][:], b["sweep/" + name][:])
            self.assertEqual(a.attrs["complete"], 1)

    def test_complete_file_needs_force(self):
        r = run(self.sweep, "-o", self.clean)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--force", r.stderr)

    def test_bad_path_is_a_usage_error(self):
        bad = os.path.join(self.tmp.name, "bad.toml")
        with open(bad, "w") as f:
            f.write(SWEEP.replace("challenge.amount", "naltrexone.kofff"))
        r = run(bad, "-o", os.path.join(self.tmp.name, "bad.h5"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("kofff", r.stderr)
        self.assertIn("allowed", r.stderr)


if __name__ == "__main__":
    unittest.main()
