"""Long commands show progress: on a terminal a redrawn bar with an ETA, in a log one line
every few seconds (and at the end), nothing with -q. Checked for `morsim population` and
`morsim fit` (whose ETA is an upper bound: it counts iterations against max_iterations).

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import pty
import re
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
POP = os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")
FIT = os.path.join(SRC, "tests", "data", "fit", "onecpt-fit.toml")


def on_a_terminal(args):
    """Runs `args` with stderr on a pseudo-terminal; returns (exit code, what it showed)."""
    master, slave = pty.openpty()
    try:
        r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=slave, timeout=300)
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
    return r.returncode, text.decode(errors="replace")


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

    def fit(self, *extra):
        return [BIN, "fit", FIT, "-o", self.out, "--force", "--threads", "2", *extra]

    def test_a_terminal_gets_a_bar_with_an_eta(self):
        code, text = on_a_terminal([BIN, "population", POP, "-o", self.out, "--subjects", "20",
                                    "--force"])
        self.assertEqual(code, 0)
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


    def test_a_fit_on_a_terminal_gets_a_bar_with_a_bounded_eta(self):
        code, text = on_a_terminal(self.fit())
        self.assertEqual(code, 0, text)
        frames = [f for f in text.split("\r") if f.strip()]
        self.assertGreaterEqual(len(frames), 2, text)  # iteration 0 and the end at least
        self.assertRegex(frames[0], r"fit \[ *\] 0/50 iterations .*ETA \? ")  # max_iterations 50
        self.assertTrue(any(re.search(r"ETA <= \d+ s", f) for f in frames[1:]), text)
        last = re.search(r"fit \[#{30}\] (\d+)/(\d+) iterations .*objective \S+  CONVERGENCE",
                         frames[-1])
        self.assertIsNotNone(last, frames[-1])
        self.assertEqual(last.group(1), last.group(2))
        self.assertTrue(text.endswith("\n"))

    def test_a_fit_in_a_log_gets_a_line_every_few_seconds_and_quiet_gets_nothing(self):
        start = time.monotonic()
        r = subprocess.run(self.fit(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=300)
        elapsed = time.monotonic() - start
        self.assertEqual(r.returncode, 0)
        lines = r.stderr.decode().splitlines()
        self.assertTrue(lines and all(l.startswith("fit: ") for l in lines), lines)
        self.assertFalse(any("\r" in l for l in lines))
        # The first iteration at once, then at most one line per 5 s, then the last.
        self.assertLessEqual(len(lines), 2 + elapsed / 5, lines)
        final = re.fullmatch(r"fit: (\d+)/(\d+) iterations \(100\.0%\), .*/s, ETA <= 0 s  "
                             r"objective \S+  CONVERGENCE", lines[-1])
        self.assertIsNotNone(final, lines[-1])
        self.assertEqual(final.group(1), final.group(2))
        self.assertGreater(int(final.group(1)), 2)  # more iterations than lines: throttled
        q = subprocess.run(self.fit("-q"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=300)
        self.assertEqual(q.returncode, 0)
        self.assertEqual(q.stdout + q.stderr, b"")


if __name__ == "__main__":
    unittest.main()
