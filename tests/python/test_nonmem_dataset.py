"""NONMEM-style datasets: `morsim export FILE.h5 --nonmem DIR` writes the doses as taken, and
`morsim run SCENARIO.toml --dataset DATA.csv` run on them gives the same time courses; a bad
CSV is refused with exit 2 and one line naming its line and column, before any output.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN."""
import csv
import os
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")

# Doses that exercise every record the export writes: ADDL with a missed and a late dose, an
# infusion by RATE, a steady state after the start, a reset, and an additive steady state.
SCENARIO = """
[scenario]
name = "round-trip"
use = ["heroin", "naltrexone-oral-50mg"]

[output]
end = "5 d"
step = "0.5 h"

[[arm]]
name = "tablets"
[[arm.dose]]
formulation = "naltrexone-oral-50mg"
amount = "50 mg"
time = "0 h"
addl = 4
interval = "24 h"
missed = [2]
late = [{ index = 3, delay = "6 h" }]
[[arm.dose]]
formulation = "heroin-iv"
amount = "25 mg"
time = "50 h"
rate = "50 mg/h"

[[arm]]
name = "steady"
[[arm.dose]]
formulation = "naltrexone-oral-50mg"
amount = "50 mg"
time = "24 h"
steady_state = true
interval = "24 h"
addl = 1
[[arm.dose]]
reset = true
time = "72 h"
[[arm.dose]]
formulation = "heroin-iv"
amount = "10 mg"
time = "80 h"
steady_state = "add"
interval = "12 h"
"""

MAPPING = """
[dataset]
cmt.1 = "heroin-iv"
cmt.2 = "naltrexone-oral-50mg"
"""


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


class RoundTrip(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        cls.cfg = os.path.join(d, "rt.toml")
        with open(cls.cfg, "w") as f:
            f.write(SCENARIO)
        cls.h5 = os.path.join(d, "rt.h5")
        r = run("run", cls.cfg, "-o", cls.h5, "-q")
        assert r.returncode == 0, r.stderr
        cls.out = os.path.join(d, "nm")
        r = run("export", cls.h5, "--nonmem", cls.out, "-q")
        assert r.returncode == 0, r.stderr
        with open(os.path.join(cls.out, "mapping.toml")) as f:
            cls.mapping = f.read()
        cls.cfg2 = os.path.join(d, "rt2.toml")
        with open(cls.cfg2, "w") as f:
            f.write(SCENARIO + cls.mapping)
        cls.h5b = os.path.join(d, "rt2.h5")
        cls.rerun = run("run", cls.cfg2, "--dataset", os.path.join(cls.out, "dataset.csv"),
                        "-o", cls.h5b, "-q")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def dose_rows(self):
        with open(os.path.join(self.out, "dataset.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        return [r for r in rows if r["EVID"] != "0"]

    def test_doses_as_taken(self):
        doses = [(r["ID"], float(r["TIME"]), r["EVID"], float(r["AMT"]), r["CMT"],
                  float(r["RATE"]), float(r["II"]), r["SS"]) for r in self.dose_rows()]
        self.assertEqual(doses, [
            ("1", 0.0, "1", 50.0, "2", 0.0, 0.0, "0"),
            ("1", 24.0, "1", 50.0, "2", 0.0, 0.0, "0"),   # dose 2 (48 h) missed
            ("1", 50.0, "1", 25.0, "1", 50.0, 0.0, "0"),  # RATE = 25 mg / 0.5 h
            ("1", 78.0, "1", 50.0, "2", 0.0, 0.0, "0"),   # dose 3 taken 6 h late
            ("1", 96.0, "1", 50.0, "2", 0.0, 0.0, "0"),
            ("2", 24.0, "1", 50.0, "2", 0.0, 24.0, "1"),
            ("2", 48.0, "1", 50.0, "2", 0.0, 0.0, "0"),
            ("2", 72.0, "3", 0.0, ".", 0.0, 0.0, "0"),
            ("2", 80.0, "1", 10.0, "1", 0.0, 12.0, "2"),
        ])

    def test_mapping_names_arms_and_compartments(self):
        self.assertIn('1 = "heroin-iv"', self.mapping)
        self.assertIn('2 = "naltrexone-oral-50mg"', self.mapping)
        self.assertIn('1 = "tablets"', self.mapping)

    def test_import_gives_the_same_time_courses(self):
        self.assertEqual(self.rerun.returncode, 0, self.rerun.stderr)
        with h5py.File(self.h5) as a, h5py.File(self.h5b) as b:
            self.assertEqual(sorted(a.keys()), sorted(b.keys()))
            for arm in ("tablets", "steady"):
                np.testing.assert_array_equal(a[arm]["time"][()], b[arm]["time"][()])
                for k in ("occupancy", "plasma", "brain"):
                    x, y = a[arm][k][()], b[arm][k][()]
                    self.assertGreater(np.max(x), 0.0)
                    np.testing.assert_allclose(y, x, rtol=1e-9, atol=1e-300)


class BadCsv(unittest.TestCase):
    HEADER = "ID,TIME,EVID,AMT,CMT,RATE,II,ADDL,SS\n"

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.cfg = os.path.join(self.tmp.name, "s.toml")
        with open(self.cfg, "w") as f:
            f.write(SCENARIO + MAPPING)
        self.h5 = os.path.join(self.tmp.name, "out.h5")

    def tearDown(self):
        self.tmp.cleanup()

    def refused(self, text):
        data = os.path.join(self.tmp.name, "data.csv")
        with open(data, "w") as f:
            f.write(text)
        r = run("run", self.cfg, "--dataset", data, "-o", self.h5)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertFalse(os.path.exists(self.h5), "nothing is written")
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(data + ":", lines[0])
        return lines[0]

    def test_bad_number(self):
        line = self.refused(self.HEADER + "1,0,1,50,2,0,0,0,0\n1,1,1,fifty,2,0,0,0,0\n")
        self.assertIn("data.csv:3: AMT: expected a number, got 'fifty'", line)

    def test_unknown_cmt(self):
        line = self.refused(self.HEADER + "1,0,1,50,7,.,.,.,.\n")
        self.assertIn("data.csv:2: CMT: unknown CMT 7", line)
        self.assertIn("1, 2", line)

    def test_missing_column(self):
        line = self.refused("ID,TIME,EVID,AMT\n1,0,1,50\n")
        self.assertIn("data.csv:1: CMT: missing column", line)

    def test_lower_case_column_is_named(self):
        line = self.refused("ID,time,EVID,AMT,CMT\n1,0,1,50,2\n")
        self.assertIn("TIME: missing column (found 'time'", line)

    def test_bad_evid(self):
        line = self.refused(self.HEADER + "1,0,5,50,2,0,0,0,0\n")
        self.assertIn("data.csv:2: EVID: got 5 (allowed: 0, 1, 2, 3, 4)", line)

    def test_dose_after_end(self):
        line = self.refused(self.HEADER + "1,0,1,50,2,0,24,9,0\n")
        self.assertIn("data.csv:2: ADDL: the last dose (216 h) is after the end", line)

    def test_scenario_without_mapping(self):
        plain = os.path.join(self.tmp.name, "plain.toml")
        with open(plain, "w") as f:
            f.write(SCENARIO)
        data = os.path.join(self.tmp.name, "data.csv")
        with open(data, "w") as f:
            f.write(self.HEADER + "1,0,1,50,2,0,0,0,0\n")
        r = run("run", plain, "--dataset", data, "-o", self.h5)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("dataset: missing (required with --dataset", r.stderr)

    def test_bad_mapping_key(self):
        # The [dataset] table is read by the config reader: file:line: key: problem with the
        # "did you mean" of every other config error, exit 2, one line.
        bad = os.path.join(self.tmp.name, "bad.toml")
        with open(bad, "w") as f:
            f.write(SCENARIO + MAPPING + 'amount_units = "ug"\n')
        line_no = (SCENARIO + MAPPING).count("\n") + 1
        data = os.path.join(self.tmp.name, "data.csv")
        with open(data, "w") as f:
            f.write(self.HEADER + "1,0,1,50,2,0,0,0,0\n")
        r = run("run", bad, "--dataset", data, "-o", self.h5)
        self.assertEqual(r.returncode, 2, r.stderr)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(f"{bad}:{line_no}: dataset.amount_units: unknown key 'amount_units'",
                      lines[0])
        self.assertIn("did you mean 'amount_unit'", lines[0])
        self.assertIn("(allowed: time_unit, amount_unit, cmt, id)", lines[0])
        self.assertFalse(os.path.exists(self.h5), "nothing is written")


class Import(unittest.TestCase):
    def test_ids_are_arms_and_observations_output_times(self):
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "s.toml")
            with open(cfg, "w") as f:
                f.write(SCENARIO + MAPPING + 'id.7 = "seven"\n')
            data = os.path.join(d, "data.csv")
            with open(data, "w") as f:
                f.write("ID,TIME,EVID,AMT,CMT,DV,WT\n7,0,1,50,2,.,70\n7,0.25,0,.,.,1,70\n"
                        "8,0,1,25,1,.,80\n8,3.3,0,.,.,1,80\n")
            h5 = os.path.join(d, "o.h5")
            r = run("run", cfg, "--dataset", data, "-o", h5)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("column(s) WT not used", r.stderr)
            with h5py.File(h5) as f:
                self.assertEqual(sorted(f.keys()), ["id8", "seven"])
                self.assertIn(0.25, f["seven"]["time"][()])
                self.assertNotIn(0.25, f["id8"]["time"][()])
                self.assertIn(3.3, f["id8"]["time"][()])


class Show(unittest.TestCase):
    def test_records_are_described_with_their_nonmem_event(self):
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "s.toml")
            with open(cfg, "w") as f:
                f.write(SCENARIO)
            r = run("show", cfg)
            self.assertEqual(r.returncode, 0, r.stderr)
            arms = r.stdout[r.stdout.index("\nArms"):]
            self.assertIn("50 mg naltrexone-oral-50mg at 0 h, then 4 more every 24 h, "
                          "dose 2 missed, dose 3 late by 6 h (EVID 1)", arms)
            self.assertIn("25 mg heroin-iv at 50 h, over 0.5 h (EVID 1)", arms)
            self.assertIn("50 mg naltrexone-oral-50mg at 24 h, then 1 more every 24 h, "
                          "starting at the steady state of one every 24 h (EVID 1, SS 1)", arms)
            self.assertIn("reset: every state to zero at 72 h (EVID 3)", arms)
            self.assertIn("10 mg heroin-iv at 80 h, the steady state of one every 12 h added "
                          "(EVID 1, SS 2)", arms)
            self.assertNotIn("0 mg  at", arms)


class ArmlessScenario(unittest.TestCase):
    def test_arms_may_come_from_the_dataset_alone(self):
        head = SCENARIO[:SCENARIO.index("[[arm]]")]
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "s.toml")
            with open(cfg, "w") as f:
                f.write(head + MAPPING)
            data = os.path.join(d, "data.csv")
            with open(data, "w") as f:
                f.write("ID,TIME,EVID,AMT,CMT\n1,0,1,50,2\n")
            h5 = os.path.join(d, "o.h5")
            r = run("run", cfg, "--dataset", data, "-o", h5, "-q")
            self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(h5) as f:
                self.assertEqual(list(f.keys()).count("id1"), 1)
                self.assertGreater(np.max(f["id1"]["plasma"][()]), 0.0)
            r = run("run", cfg, "-o", h5 + "2")
            self.assertEqual(r.returncode, 2)
            self.assertIn("arm: missing", r.stderr)
            self.assertFalse(os.path.exists(h5 + "2"))


if __name__ == "__main__":
    unittest.main()
