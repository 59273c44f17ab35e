"""`mpirun -np 2 morsim sweep` (MPI build): the file two ranks write through parallel HDF5 equals
the one a single process writes; a 2-rank sweep stopped midway (internal stop hook, or SIGINT
to mpirun) leaves a valid file that a later run (1 process or 2 ranks) completes to the same
data.

Run by CTest in the MPI build only, with /usr/bin/python3; needs MORSIM_BIN, MORSIM_MPIEXEC
and MORSIM_SOURCE_DIR (and OMPI_ALLOW_RUN_AS_ROOT* when run as root)."""
import os
import signal
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
MPIEXEC = os.environ.get("MORSIM_MPIEXEC", "mpirun")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
BASE = os.path.join(SRC, "configs", "sweeps", "surmountability-base.toml")

# 3 depot doses (the negative one fails: an invalid model) x 20 challenge days x 100 doses =
# 6000 scenarios, with trajectories; the failures fall in the middle third, so both ranks'
# shares are split between done and failed rows.
SWEEP = f"""
[sweep]
base = "{BASE}"
arm = "depot"
window = "24 h"
rtol = 1e-3
[challenge]
formulation = "heroin-iv"
amount = "25 mg"
time = "1 d"
[[parameter]]
path = "doses.depot.0.amount"
values = ["380 mg", "-1 mg", "190 mg"]
[[parameter]]
path = "challenge.time"
range = {{ from = "1 d", to = "39 d", n = 20 }}
[[parameter]]
path = "challenge.amount"
range = {{ from = "1 mg", to = "500 mg", n = 100, scale = "log" }}
[[metric]]
kind = "peak_agonist_occupancy"
[[metric]]
kind = "agonist_auc"
[trajectories]
step = "4 h"
"""
N = 6000
DATASETS = ("parameters", "metrics", "status", "trajectories", "parameter", "metric",
            "trajectory_time", "occupancy_kind")

# Root in CI; containers often forbid the shared-memory transport's single-copy mechanism
# (ptrace/CMA), which Open MPI then reports as errors.
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl_vader_single_copy_mechanism="none")


def sweep(*args, ranks=0, env=None, **kw):
    cmd = [BIN, "sweep", *args]
    if ranks:
        cmd = [MPIEXEC, "--oversubscribe", "-np", str(ranks), *cmd]
    e = dict(MPI_ENV, **(env or {}))
    return subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=300, **kw)


class MpiSweep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.sweep = os.path.join(cls.tmp.name, "s.toml")
        with open(cls.sweep, "w") as f:
            f.write(SWEEP)
        cls.clean = os.path.join(cls.tmp.name, "clean.h5")
        r = sweep(cls.sweep, "-o", cls.clean, "--threads", "2", "-q")
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assert_same_as_clean(self, path, clean=None):
        with h5py.File(path, "r") as a, h5py.File(clean or self.clean, "r") as b:
            for name in DATASETS:
                x, y = a["sweep/" + name][()], b["sweep/" + name][()]
                self.assertEqual(x.shape, y.shape, name)
                if x.dtype.kind == "f":
                    np.testing.assert_array_equal(x, y, err_msg=name)  # NaN == NaN here
                else:
                    self.assertTrue(np.array_equal(x, y), name)
            ea, eb = a["sweep/errors"][()], b["sweep/errors"][()]
            self.assertEqual(list(ea["index"]), list(eb["index"]))
            self.assertEqual(list(ea["message"]), list(eb["message"]))
            for k in ("complete", "n_scenarios", "sweep_text", "design", "seed"):
                self.assertEqual(a.attrs[k], b.attrs[k], k)
            self.assertEqual(a["sweep/metrics"].compression, b["sweep/metrics"].compression)

    def test_clean_file(self):
        with h5py.File(self.clean, "r") as f:
            status = f["sweep/status"][:]
            self.assertEqual(f.attrs["complete"], 1)
            self.assertEqual((status == 2).sum(), N // 3)
            self.assertEqual(list(f["sweep/errors"]["index"]), list(range(N // 3, 2 * N // 3)))

    def test_two_ranks_equal_one_process(self):
        out = os.path.join(self.tmp.name, "two.h5")
        r = sweep(self.sweep, "-o", out, "--threads", "1", ranks=2)
        self.assertEqual(r.returncode, 0, r.stderr)
        # Progress from rank 0 only: the final progress line appears once.
        self.assertLessEqual(r.stderr.count(f"{N}/{N} scenarios"), 1, r.stderr)
        self.assert_same_as_clean(out)

    def test_stopped_two_ranks_resumed_by_one_process(self):
        out = os.path.join(self.tmp.name, "stopped.h5")
        r = sweep(self.sweep, "-o", out, "--threads", "1", ranks=2,
                  env={"MORSIM_SWEEP_STOP_AFTER": "900"})
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("--resume", r.stderr)
        with h5py.File(out, "r") as f:  # valid; each rank did the start of its share
            status = f["sweep/status"][:]
            self.assertEqual(f.attrs["complete"], 0)
        done = np.flatnonzero(status != 0)
        self.assertGreater(len(done), 0)
        self.assertLess(len(done), N)
        self.assertGreater(done.max(), N // 2)  # rank 1 wrote too
        r = sweep(self.sweep, "-o", out, "--resume", "--threads", "2", "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_same_as_clean(out)

    def test_sigint_to_mpirun_then_two_rank_resume(self):
        # mpirun takes ~1 s to forward the signal: a 5x longer sweep (~6 s on 2 ranks).
        big = os.path.join(self.tmp.name, "big.toml")
        with open(big, "w") as f:
            f.write(SWEEP.replace("n = 100, scale", "n = 500, scale"))
        clean = os.path.join(self.tmp.name, "big-clean.h5")
        r = sweep(big, "-o", clean, "--threads", "2", "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = os.path.join(self.tmp.name, "sigint.h5")
        e = MPI_ENV
        p = subprocess.Popen([MPIEXEC, "--oversubscribe", "-np", "2", BIN, "sweep", big,
                              "-o", out, "--threads", "1"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=e)
        # Rank 0's first progress line comes after every rank installed its signal handlers.
        first = p.stderr.readline()
        self.assertIn("sweep:", first)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
        with h5py.File(out, "r") as f:
            complete = f.attrs["complete"]
        if complete == 1:  # the signal came after the last write: a complete, equal file
            self.assert_same_as_clean(out, clean)
            self.skipTest("the sweep finished before the signal arrived")
        self.assertEqual(p.returncode, 1, err)
        self.assertIn("--resume", err)
        r = sweep(big, "-o", out, "--resume", "--threads", "1", "-q", ranks=2)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_same_as_clean(out, clean)

    def test_other_commands_refuse_several_ranks(self):
        # Only sweep and population are distributed: N ranks of `run` would race on one file.
        out = os.path.join(self.tmp.name, "run.h5")
        r = subprocess.run([MPIEXEC, "--oversubscribe", "-np", "2", BIN, "run",
                            os.path.join(SRC, "configs", "demo", "surmount.toml"), "-o", out],
                           capture_output=True, text=True, env=MPI_ENV, timeout=120)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stderr.count("run across MPI ranks"), 1, r.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
