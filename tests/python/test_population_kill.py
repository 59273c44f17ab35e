"""`morsim population` survives SIGKILL: a run killed at seeded random times (some within the
first 50 ms) leaves OUT.checkpoint (valid HDF5 whenever it exists), `--resume` completes it to
the same result datasets as an uninterrupted run, and nothing else is left behind. A
checkpoint of another run is refused by --resume (exit 2), and without --resume an existing
checkpoint is refused (exit 2) until --force discards it. SIGTERM keeps the checkpoint too.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import random
import re
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
CONFIG = os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")

# Root or object attributes that are timestamps or timings (none today): not compared. Nor
# are the object references of dimension scales (file addresses); the scales attached to each
# dataset are compared by name instead.
IGNORED_ATTRS = {"created_utc", "seconds", "elapsed_s", "DIMENSION_LIST", "REFERENCE_LIST"}


def small_config():
    """The shipped study cut to 4 weeks and 60 patients per arm: ~0.3 s, 18 work units."""
    with open(CONFIG) as f:
        text = f.read()
    for old, new in (('end = "168 d"', 'end = "28 d"'), ("addl = 167", "addl = 27"),
                     ("addl = 5 ", "addl = 0 "), ("subjects = 1000", "subjects = 60")):
        assert old in text, old
        text = text.replace(old, new)
    return text


def population(*args):
    return subprocess.run([BIN, "population", *args], capture_output=True, text=True,
                          timeout=120)


def contents(path):
    """Every dataset's values and every attribute (but timings) of an HDF5 file, by path."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            attrs = {k: v for k, v in obj.attrs.items() if k not in IGNORED_ATTRS}
            value = obj[()] if isinstance(obj, h5py.Dataset) else None
            if value is not None:
                attrs["(scales)"] = str([[s.name for s in d.values()] for d in obj.dims])
            out[name] = (value, attrs)
        visit("/", f)
        f.visititems(visit)
    return out


class PopulationKill(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.config = os.path.join(cls.tmp.name, "small.toml")
        with open(cls.config, "w") as f:
            f.write(small_config())
        cls.clean = os.path.join(cls.tmp.name, "clean.h5")
        start = time.monotonic()
        r = population(cls.config, "-o", cls.clean, "--threads", "2", "-q")
        cls.clean_s = time.monotonic() - start
        assert r.returncode == 0, r.stderr
        cls.expected = contents(cls.clean)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.tmp.name)
        self.out = os.path.join(self.dir, "pop.h5")
        self.checkpoint = self.out + ".checkpoint"

    def start(self, *extra):
        return subprocess.Popen([BIN, "population", self.config, "-o", self.out, "--threads",
                                 "2", "-q", *extra],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def assertSameAsClean(self, path):
        got = contents(path)
        self.assertEqual(sorted(got), sorted(self.expected))
        for name, (value, attrs) in self.expected.items():
            other_value, other_attrs = got[name]
            if value is not None:
                self.assertEqual(value.dtype, other_value.dtype, name)
                self.assertTrue(np.array_equal(value, other_value,
                                               equal_nan=value.dtype.kind == "f"), name)
            self.assertEqual(sorted(attrs), sorted(other_attrs), name)
            for k, v in attrs.items():
                self.assertTrue(np.array_equal(np.asarray(v), np.asarray(other_attrs[k]),
                                               equal_nan=np.asarray(v).dtype.kind == "f"),
                                f"{name} attribute {k}")

    def checkpoint_done(self):
        """(done units, units) of the checkpoint, which must open whenever it exists."""
        with h5py.File(self.checkpoint, "r") as f:
            self.assertEqual(f.attrs["filetype"], "morsim-population-checkpoint")
            done = f["done"][()]
        return int(done.sum()), done.size

    def make_checkpoint(self, sig=signal.SIGKILL):
        """Starts a run and stops it with `sig` as soon as its checkpoint exists."""
        for _ in range(5):
            p = self.start()
            deadline = time.monotonic() + 30
            while not os.path.exists(self.checkpoint) and p.poll() is None:
                if time.monotonic() > deadline:
                    p.kill()
                    self.fail("no checkpoint appeared")
                time.sleep(0.001)
            p.send_signal(sig)
            p.wait()
            p.stderr.close()
            if p.returncode == -sig:
                return
            os.remove(self.out)  # finished first: try again
        self.fail("the run always finished before it could be stopped")

    def test_sigkill_at_random_times_then_resume_equals_an_uninterrupted_run(self):
        rng = random.Random(20261202)
        span_s = max(self.clean_s, 0.1)
        # A few more than the 10 kills asked for: a run may finish before a late kill.
        delays = [0.0, 0.005, 0.02, 0.045] + sorted(rng.uniform(0.05, 0.7 * span_s)
                                                    for _ in range(10))
        killed = partial = 0
        for delay in delays:
            with self.subTest(delay_s=round(delay, 4)):
                for f in os.listdir(self.dir):
                    os.remove(os.path.join(self.dir, f))
                p = self.start()
                time.sleep(delay)
                p.kill()
                p.wait()
                stderr = p.stderr.read()
                p.stderr.close()
                if p.returncode == 0:  # finished before the kill: nothing to resume
                    self.assertFalse(os.path.exists(self.checkpoint))
                    continue
                self.assertEqual(p.returncode, -signal.SIGKILL, stderr)
                killed += 1
                if os.path.exists(self.checkpoint):
                    done, units = self.checkpoint_done()
                    partial += 0 < done < units
                r = population(self.config, "-o", self.out, "--threads", "2", "-q", "--resume")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertSameAsClean(self.out)
                self.assertEqual(os.listdir(self.dir), ["pop.h5"], "files left behind")
        self.assertGreaterEqual(killed, 10, "too few runs were still running when killed")
        self.assertGreater(partial, 0, "no kill landed between two finished work units")

    def test_sigterm_keeps_the_checkpoint(self):
        self.make_checkpoint(signal.SIGTERM)
        self.assertTrue(os.path.exists(self.checkpoint))
        self.checkpoint_done()
        r = population(self.config, "-o", self.out, "--threads", "1", "-q", "--resume")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertSameAsClean(self.out)
        self.assertEqual(os.listdir(self.dir), ["pop.h5"])

    def test_a_checkpoint_of_another_run_is_refused(self):
        self.make_checkpoint()
        other = os.path.join(self.dir, "other.toml")
        with open(other, "w") as f:
            f.write(small_config().replace("rewarding_effect = 0.2", "rewarding_effect = 0.3"))
        for args, why in (((other,), "config text differs"),
                          ((self.config, "--subjects", "30"), "subjects differ"),
                          ((self.config, "--seed", "7"), "seeds differ")):
            r = population(*args, "-o", self.out, "-q", "--resume")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertIn("cannot resume", r.stderr)
            self.assertIn(why, r.stderr)
        self.assertTrue(os.path.exists(self.checkpoint), "a refused resume removed it")
        self.assertFalse(os.path.exists(self.out))

    def test_an_existing_checkpoint_needs_resume_or_force(self):
        self.make_checkpoint()
        r = population(self.config, "-o", self.out, "-q")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertRegex(r.stderr, re.compile(r"--resume.*--force"))
        self.assertTrue(os.path.exists(self.checkpoint))
        r = population(self.config, "-o", self.out, "-q", "--force")  # discards it
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertSameAsClean(self.out)
        self.assertEqual(os.listdir(self.dir), ["pop.h5"])


if __name__ == "__main__":
    unittest.main()
