"""Long commands show progress: on a terminal a redrawn bar with an ETA, in a log one line
every few seconds (and at the end), nothing with -q. Checked for `morsim population`.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import pty
import subprocess
import tempfile
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
POP = os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")


class Progress(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "p.h5")

    def tearDown(self):
        self.tmp.cleanup()

    def population(self, *extra, stderr):
        return subprocess.run([BIN, "population", POP, "-o", self.out, "--subjects", "20",
                               "--force", *extra], stdout=subprocess.DEVNULL, stderr=stderr,
                              timeout=300)

    def test_a_terminal_gets_a_bar_with_an_eta(self):
        master, slave = pty.openpty()
        try:
            r = self.population(stderr=slave)
            os.close(slave)
            text = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                text += chunk
        finally:
            os.close(master)
        self.assertEqual(r.returncode, 0)
        text = text.decode(errors="replace")
        self.assertIn("\r", text)
        self.assertIn("ETA", text)
        self.assertIn("40/40 subject-arms", text)

    def test_a_log_gets_lines_and_quiet_gets_nothing(self):
        r = self.population(stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 0)
        lines = r.stderr.decode().splitlines()
        self.assertTrue(any("population: 40/40 subject-arms (100.0%)" in l for l in lines), lines)
        self.assertFalse(any("\r" in l for l in lines))
        q = self.population("-q", stderr=subprocess.PIPE)
        self.assertEqual(q.returncode, 0)
        self.assertEqual(q.stderr, b"")


if __name__ == "__main__":
    unittest.main()
