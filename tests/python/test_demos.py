"""Every built-in demo runs from an empty folder, writes its HDF5 file and figure, and the
numbers it prints agree with the file it wrote."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

MORSIM = os.environ.get("MORSIM_BIN", "build/bin/morsim")


def demos():
    out = subprocess.run([MORSIM, "demo", "--list"], check=True, capture_output=True, text=True)
    return [line.split()[0] for line in out.stdout.splitlines() if line and not line.startswith(" ")]


def agonist_occupancy(arm):
    names = [n.decode() if isinstance(n, bytes) else n for n in arm["compound"][()]]
    agonists = set(a.decode() if isinstance(a, bytes) else a for a in arm.attrs["agonists"])
    cols = [i for i, n in enumerate(names) if n in agonists]
    return arm["time"][()], arm["occupancy"][()][:, cols].sum(axis=1)


class DemoTest(unittest.TestCase):
    def test_list_has_the_lessons(self):
        names = demos()
        for expected in ("depot-blockade", "oral-blockade", "surmount", "naloxone-rescue"):
            self.assertIn(expected, names)

    def test_each_demo_runs_and_its_table_matches_the_file(self):
        row = re.compile(r"^\s+(\d+\.\d+)\s+(\d+\.\d)\s+(\S+)\s+(\d+\.\d)%")
        for name in demos():
            with self.subTest(demo=name), tempfile.TemporaryDirectory() as tmp:
                out = subprocess.run([MORSIM, "demo", name], cwd=tmp, capture_output=True,
                                     text=True, timeout=120)
                self.assertEqual(out.returncode, 0, out.stderr)
                h5 = os.path.join(tmp, name + ".h5")
                png = os.path.join(tmp, name + ".png")
                self.assertTrue(os.path.exists(h5))
                with open(png, "rb") as f:
                    self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
                self.assertIn("Lesson:", out.stdout)
                with h5py.File(h5, "r") as f:
                    arm = None
                    checked = 0
                    for line in out.stdout.splitlines():
                        m = re.match(r"^arm (\S+):", line)
                        if m:
                            arm = f[m.group(1)]
                            t, agon = agonist_occupancy(arm)
                            doses = arm["doses"]
                            continue
                        u = re.match(r"^\s+time_(min|h|d)\s", line)
                        if u:  # the header names the unit of the time column
                            hours = {"min": 1 / 60, "h": 1.0, "d": 24.0}[u.group(1)]
                            continue
                        m = row.match(line)
                        if not m or arm is None:
                            continue
                        t0, peak = float(m.group(1)) * hours, float(m.group(4)) / 100
                        # The table's window: to the next dose of the same formulation, at most
                        # 24 h; the day is printed to 2 decimals (+-0.12 h).
                        forms = [x.decode() if isinstance(x, bytes) else x
                                 for x in doses["formulation"][()]]
                        times = doses["time_h"][()]
                        t0 = min(times[[fm == m.group(3) for fm in forms]], key=lambda x: abs(x - t0))
                        later = [x for x, fm in zip(times, forms) if x > t0 + 1e-6 and fm == m.group(3)]
                        t1 = min([t0 + 24] + later)
                        window = (t >= t0) & (t <= t1)
                        # The table's peak is located on the solver's dense output: never below
                        # the file's samples (less rounding), and above them only by what the
                        # curvature between the file's samples allows.
                        sampled = agon[window].max()
                        self.assertGreaterEqual(peak, sampled - 0.0006)
                        self.assertLess(peak - sampled, 0.005)
                        checked += 1
                    if name not in ("naloxone-rescue", "population"):
                        self.assertGreater(checked, 0)

    def test_default_demo_writes_demo_files_and_refuses_to_overwrite(self):
        with tempfile.TemporaryDirectory() as tmp:
            first = subprocess.run([MORSIM, "demo"], cwd=tmp, capture_output=True, text=True)
            self.assertEqual(first.returncode, 0, first.stderr)
            self.assertTrue(os.path.exists(os.path.join(tmp, "demo.h5")))
            self.assertTrue(os.path.exists(os.path.join(tmp, "demo.png")))
            before = open(os.path.join(tmp, "demo.h5"), "rb").read()
            again = subprocess.run([MORSIM, "demo"], cwd=tmp, capture_output=True, text=True)
            self.assertEqual(again.returncode, 2)
            self.assertIn("--force", again.stderr)
            self.assertEqual(open(os.path.join(tmp, "demo.h5"), "rb").read(), before)

    def test_quiet_prints_nothing_and_writes_the_same_file(self):
        """-q leaves out the table and paragraph, not the results: the arms' data are those of
        a run without -q."""
        with tempfile.TemporaryDirectory() as tmp:
            loud = subprocess.run([MORSIM, "demo", "oral-blockade", "--no-plot"], cwd=tmp,
                                  capture_output=True, text=True, timeout=120)
            self.assertEqual(loud.returncode, 0, loud.stderr)
            self.assertIn("agonist dose(s)", loud.stdout)
            os.rename(os.path.join(tmp, "oral-blockade.h5"), os.path.join(tmp, "loud.h5"))
            quiet = subprocess.run([MORSIM, "demo", "oral-blockade", "--no-plot", "-q"],
                                   cwd=tmp, capture_output=True, text=True, timeout=120)
            self.assertEqual((quiet.returncode, quiet.stdout, quiet.stderr), (0, "", ""))
            with h5py.File(os.path.join(tmp, "loud.h5"), "r") as a, \
                    h5py.File(os.path.join(tmp, "oral-blockade.h5"), "r") as b:
                self.assertEqual(list(a), list(b))
                for arm in ("control", "naltrexone"):
                    np.testing.assert_array_equal(a[arm]["occupancy"][()],
                                                  b[arm]["occupancy"][()])


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
