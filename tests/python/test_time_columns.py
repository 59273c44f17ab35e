"""Time columns are in the unit that suits the run: minutes up to 3 h, hours up to 3 days, days
beyond, named with it, in the run table and the CSV export; the values are the HDF5 file's hours
converted (a 30-min, a 12-h and a 37-day run of one heroin dose); and the population summary's
median time to the first rewarding use (the shipped 24-week study and a 2-day cut of it).

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import csv
import os
import re
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

SCENARIO = """[scenario]
name = "time-unit"
use = ["heroin"]

[output]
start = "0 h"
end = "{end}"
step = "{step}"

[[arm]]
name = "heroin"
[[arm.dose]]
formulation = "heroin-iv"
amount = "10 mg"
time = "{dose}"
"""

# end, output step, dose time, expected unit, hours per unit
RUNS = [("30 min", "1 min", "7 min", "min", 1.0 / 60.0),
        ("12 h", "0.1 h", "5 h", "h", 1.0),
        ("37 d", "1 h", "36 d", "d", 24.0)]


def run_and_export(tmp, end, step, dose):
    cfg, h5, csv_dir = (os.path.join(tmp, n) for n in ("s.toml", "s.h5", "csv"))
    with open(cfg, "w") as f:
        f.write(SCENARIO.format(end=end, step=step, dose=dose))
    run = subprocess.run([BIN, "run", cfg, "-o", h5], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    exp = subprocess.run([BIN, "export", h5, "--csv", csv_dir, "-q"], capture_output=True,
                         text=True, timeout=300)
    assert exp.returncode == 0, exp.stderr
    return run.stdout, h5, csv_dir


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


class TimeColumns(unittest.TestCase):
    def test_each_run_reads_in_its_unit(self):
        for end, step, dose, unit, hours in RUNS:
            with self.subTest(end=end), tempfile.TemporaryDirectory() as tmp:
                table, h5, csv_dir = run_and_export(tmp, end, step, dose)
                with h5py.File(h5, "r") as f:
                    dose_h = f["heroin/doses/time_h"][()]
                    time_h = f["heroin/time"][()]
                # The run table: header row then one challenge row.
                lines = table.splitlines()
                i = next(k for k, l in enumerate(lines) if "dose_mg" in l)
                self.assertEqual(lines[i].split()[0], "time_" + unit)
                self.assertAlmostEqual(float(lines[i + 1].split()[0]), dose_h[0] / hours,
                                       places=2)
                # The CSV export: every time column in the same unit.
                header, rows = read_csv(os.path.join(csv_dir, "heroin.csv"))
                self.assertEqual(header[0], "time_" + unit)
                np.testing.assert_allclose([float(r[0]) * hours for r in rows], time_h,
                                           rtol=1e-9, atol=1e-12)
                header, rows = read_csv(os.path.join(csv_dir, "heroin-doses.csv"))
                self.assertEqual(header[:2], ["intended_time_" + unit, "applied_time_" + unit])
                self.assertAlmostEqual(float(rows[0][1]) * hours, dose_h[0], places=9)
                header, rows = read_csv(os.path.join(csv_dir, "challenges.csv"))
                self.assertIn("dose_time_" + unit, header)
                self.assertIn("peak_time_" + unit, header)
                self.assertAlmostEqual(float(rows[0][header.index("dose_time_" + unit)]) * hours,
                                       dose_h[0], places=9)
                # An IV heroin peak comes minutes after the dose, within the run.
                peak_h = float(rows[0][header.index("peak_time_" + unit)]) * hours
                self.assertGreater(peak_h, dose_h[0])
                self.assertLess(peak_h, dose_h[0] + 1.0)

    def test_population_summary_reads_in_the_unit_of_the_study(self):
        with open(os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")) as f:
            shipped = f.read()
        # Two days of it: one injection, two tablets, heroin often enough to reach a median.
        short = shipped
        for old, new in ((r'^end = "168 d"', 'end = "2 d"'), (r"^addl = 167\b", "addl = 1"),
                         (r"^addl = 5\b", "addl = 0"), (r"^uses_per_week = 2\b",
                                                         "uses_per_week = 20")):
            short, n = re.subn(old, new, short, flags=re.M)
            self.assertEqual(n, 1, old)
        for text, unit, hours in ((shipped, "d", 24.0), (short, "h", 1.0)):
            with self.subTest(unit=unit), tempfile.TemporaryDirectory() as tmp:
                cfg, h5 = os.path.join(tmp, "p.toml"), os.path.join(tmp, "p.h5")
                with open(cfg, "w") as f:
                    f.write(text)
                r = subprocess.run([BIN, "population", cfg, "-o", h5, "--subjects", "20"],
                                   capture_output=True, text=True, timeout=300)
                self.assertEqual(r.returncode, 0, r.stderr)
                lines = r.stdout.splitlines()
                header = next(l for l in lines if "median first" in l)
                self.assertTrue(lines[lines.index(header) + 1].endswith(f"reward ({unit})"))
                oral = next(l for l in lines if l.startswith("oral "))
                with h5py.File(h5, "r") as f:
                    median_h = f["arms/oral/outcomes"].attrs[
                        "median_time_to_first_rewarding_use_h"]
                self.assertFalse(np.isnan(median_h))
                self.assertAlmostEqual(float(oral.split()[-1]), median_h / hours, delta=0.051)


if __name__ == "__main__":
    unittest.main()
