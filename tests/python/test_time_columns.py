"""Time columns are in the unit that suits the run: minutes up to 3 h, hours up to 3 days, days
beyond, named with it, in the run table and the CSV export; the values are the HDF5 file's hours
converted (a 30-min, a 12-h and a 37-day run of one heroin dose).

Run by CTest with /usr/bin/python3; needs MORSIM_BIN."""
import csv
import os
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")

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


if __name__ == "__main__":
    unittest.main()
