"""Inputs that used to run and give nonsense are refused before any work: exit 2, one line
naming the file, line and key or option with its allowed range, and no output file.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import subprocess
import tempfile
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def run(*args, cwd):
    return subprocess.run([BIN, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


class InputBounds(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def assertRefused(self, r, *parts):
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        for p in parts:
            self.assertIn(p, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual([f for f in os.listdir(self.dir) if f.endswith(".h5")], [])

    def test_a_run_too_large_to_hold_is_refused_with_its_size(self):
        with open(os.path.join(SRC, "configs", "demo", "oral-blockade.toml")) as f:
            text = f.read().replace('end = "10 d"', 'end = "1000000 h"')
        cfg = self.write("long.toml", text)
        r = run("run", cfg, "-o", "long.h5", cwd=self.dir)
        self.assertRefused(r, "GB", "--allow-large")
        v = run("validate", cfg, cwd=self.dir)
        self.assertEqual(v.returncode, 0, v.stderr)
        self.assertIn("refuses without --allow-large", v.stdout)

    def test_thread_counts_are_bounded(self):
        sweep = os.path.join(SRC, "configs", "sweeps", "oral-adherence.toml")
        r = run("sweep", sweep, "-o", "s.h5", "--threads", "100000", cwd=self.dir)
        self.assertRefused(r, "--threads", "0 to 1024")

    def test_a_log_normal_median_must_be_positive(self):
        with open(os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")) as f:
            text = f.read()
        for bad in ('"0 mg"', '"-1 mg"'):
            with self.subTest(median=bad):
                cfg = self.write("pop.toml", text.replace('median = "25 mg"', f"median = {bad}"))
                r = run("population", cfg, "-o", "pop.h5", cwd=self.dir)
                self.assertRefused(r, "pop.toml:", "median", "allowed: > 0")


if __name__ == "__main__":
    unittest.main()
