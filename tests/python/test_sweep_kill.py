"""`morsim sweep` killed with SIGKILL at random moments: the file under its name is always one
h5py opens (or absent), `--resume` completes it to the datasets of an uninterrupted run, a
complete file of another sweep is refused, and a full disk ends in exit 1, not a crash.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import glob
import os
import random
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
# 1470 scenarios with trajectories, about a second on two busy cores.
SWEEP = os.path.join(SRC, "tests", "data", "sweep", "kill-small.toml")
DATASETS = ("parameters", "metrics", "status", "trajectories")


def sweep(*args):
    return subprocess.run([BIN, "sweep", *args, "--threads", "2", "-q"], capture_output=True,
                          text=True, timeout=120)


def some_done(path):
    """Whether the file on disk marks a scenario done (read while the sweep writes it)."""
    try:
        with h5py.File(path, "r") as f:
            return bool((f["sweep/status"][:] == 1).any())
    except (OSError, KeyError):
        return False


def kill_after(out, delay, when="time"):
    """Starts the sweep and SIGKILLs it `delay` s later, as soon as `out` exists ("file"), or
    once the file on disk marks a scenario done ("progress")."""
    p = subprocess.Popen([BIN, "sweep", SWEEP, "-o", out, "--threads", "2", "-q"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t_end = time.monotonic() + 20
    if when == "file":
        while not os.path.exists(out) and p.poll() is None and time.monotonic() < t_end:
            time.sleep(0.0005)
    elif when == "progress":
        while not some_done(out) and p.poll() is None and time.monotonic() < t_end:
            time.sleep(0.005)
    else:
        time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=30)
    return p.returncode


class SweepKill(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The reader polls the file while morsim writes it: no HDF5 lock to wait for.
        os.environ["HDF5_USE_FILE_LOCKING"] = "FALSE"
        cls.tmp = tempfile.TemporaryDirectory()
        cls.clean = os.path.join(cls.tmp.name, "clean.h5")
        t0 = time.monotonic()
        r = sweep(SWEEP, "-o", cls.clean)
        cls.seconds = time.monotonic() - t0
        assert r.returncode == 0, r.stderr
        with h5py.File(cls.clean, "r") as f:
            cls.ref = {n: f["sweep/" + n][:] for n in DATASETS}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assert_rows_done_have_values(self, path):
        """A killed file opens, and every row it marks done already holds its final values."""
        with h5py.File(path, "r") as f:
            self.assertEqual(f.attrs["complete"], 0)
            status = f["sweep/status"][:]
            self.assertTrue(np.isin(status, [0, 1, 2]).all())
            done = status == 1
            for name in ("parameters", "metrics", "trajectories"):
                np.testing.assert_array_equal(f["sweep/" + name][:][done], self.ref[name][done],
                                              err_msg=name)
            return int(done.sum())

    def assert_equals_clean_run(self, path):
        with h5py.File(path, "r") as f:
            self.assertEqual(f.attrs["complete"], 1)
            for name in DATASETS:
                np.testing.assert_array_equal(f["sweep/" + name][:], self.ref[name],
                                              err_msg=name)

    def test_kill_at_random_times_then_resume(self):
        rng = random.Random(20261202)
        # Before and during start-up, across the run (as long as this machine takes), as soon
        # as the file appears, and just after the first checkpoint.
        delays = [0.0, 0.01, 0.03, 0.05] + sorted(
            rng.uniform(0.05, 1.1 * self.seconds) for _ in range(8))
        cases = [(d, "time") for d in delays] + [(0.0, "file"), (0.0, "file"), (0.0, "progress")]
        seen_partial = 0
        for i, (delay, when) in enumerate(cases):
            with self.subTest(delay=delay, when=when):
                out = os.path.join(self.tmp.name, f"k{i}.h5")
                rc = kill_after(out, delay, when)
                self.assertIn(rc, (0, -signal.SIGKILL))
                if rc == -signal.SIGKILL and os.path.exists(out):
                    done = self.assert_rows_done_have_values(out)
                    seen_partial += 0 < done
                    # Without --resume the killed file is protected, and --resume is offered.
                    r = sweep(SWEEP, "-o", out)
                    self.assertEqual(r.returncode, 2, r.stderr)
                    self.assertIn("--resume", r.stderr)
                r = sweep(SWEEP, "-o", out, "--resume")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assert_equals_clean_run(out)
        # The kills must exercise the interesting case at least once: a file part done (the
        # "progress" kill, unless this machine finishes before the first checkpoint, 250 ms).
        if self.seconds > 0.5:
            self.assertGreater(seen_partial, 0)

    def test_resume_refuses_a_complete_file_of_another_sweep(self):
        other = os.path.join(self.tmp.name, "other.toml")
        with open(SWEEP) as f:
            text = f.read()
        base = os.path.join(SRC, "configs", "sweeps", "oral-adherence-base.toml")
        text = text.replace('base = "../../../configs/sweeps/oral-adherence-base.toml"',
                            f'base = "{base}"').replace('window = "24 h"', 'window = "12 h"')
        with open(other, "w") as f:
            f.write(text)
        before = os.path.getmtime(self.clean)
        r = sweep(other, "-o", self.clean, "--resume")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("different sweep", r.stderr)
        self.assertNotIn("already complete", r.stderr)
        self.assertEqual(os.path.getmtime(self.clean), before)
        # The same sweep: complete, nothing to do.
        r = subprocess.run([BIN, "sweep", SWEEP, "-o", self.clean, "--resume"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("already complete", r.stderr)

    def test_full_disk_exits_1_without_a_complete_file(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a small tmpfs needs root")
        mnt = os.path.join(self.tmp.name, "full")
        os.mkdir(mnt)
        # Too small for the metadata, for the data, and just too small for the whole file.
        size = os.path.getsize(self.clean)
        for kib in (16, 200, size // 1024 - 8):
            with self.subTest(kib=kib):
                m = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", mnt],
                                   capture_output=True, text=True)
                if m.returncode != 0:
                    self.skipTest("cannot mount a tmpfs: " + m.stderr.strip())
                try:
                    out = os.path.join(mnt, "full.h5")
                    r = sweep(SWEEP, "-o", out)
                    self.assertEqual(r.returncode, 1, r.stderr)
                    lines = r.stderr.strip().splitlines()
                    self.assertEqual(len(lines), 1, r.stderr)
                    self.assertIn("No space left on device", lines[0])
                    for path in glob.glob(os.path.join(mnt, "*")):
                        try:
                            with h5py.File(path, "r") as f:
                                self.assertNotEqual(f.attrs.get("complete", 0), 1, path)
                        except OSError:
                            pass  # not an HDF5 file: certainly not a complete sweep
                finally:
                    subprocess.run(["umount", mnt], check=True)


if __name__ == "__main__":
    unittest.main()
