"""One parameter vocabulary: every path `morsim show --params` lists for a shipped scenario is
a sweep parameter. For each path a two-value sweep (the current value and one moved 10%) must
be accepted, record the values given in its parameter column, and change the metrics where
the path matters; the same moved value given by `--set` must read back as the sweep recorded
it (`morsim show --params --set`), and the same override in the base scenario (the
`[overrides]` table --set shares) must give the sweep scenario's metrics exactly.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import concurrent.futures
import os
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BASE = os.path.join(SRC, "configs", "sweeps", "oral-adherence-base.toml")

# Heroin IV half a day after the last of 14 daily tablets: every compound of the base scenario
# (heroin, 6-MAM, morphine, naltrexone, 6-beta-naltrexol) reaches the receptor in the window.
SWEEP = """
[sweep]
base = "{base}"
arm = "naltrexone"
window = "6 h"
[challenge]
formulation = "heroin-iv"
amount = "25 mg"
time = "13.5 d"
{parameter}
[[parameter]]
path = "challenge.amount"
values = ["25 mg"]
[[metric]]
kind = "peak_agonist_occupancy"
[[metric]]
kind = "agonist_auc"
[[metric]]
kind = "peak_agonist_effect"
[[metric]]
kind = "coverage"
level = 0.5
from = "0 h"
to = "13 d"
"""

# Paths that leave every metric as it was, and why (checked: each must leave them unchanged).
NO_EFFECT = {
    # The tablet is dosed as naltrexone hydrochloride (the formulation's dosed_molar_mass
    # converts the mg), so the base's molar mass converts nothing that is simulated.
    "naltrexone.molar_mass",
    # Metabolites arrive from their parent in nmol and are never dosed here: their molar mass
    # converts nothing either.
    "6-MAM.molar_mass", "morphine.molar_mass", "6-beta-naltrexol.molar_mass",
}


def show_params(*extra):
    """{path: (unit, value)}; None when morsim refuses the --set (exit 2, one line)."""
    r = subprocess.run([BIN, "show", BASE, "--params", *extra], capture_output=True, text=True,
                       timeout=60)
    if extra and r.returncode == 2 and len(r.stderr.splitlines()) == 1:
        return None
    assert r.returncode == 0, r.stderr
    rows = {}
    for line in r.stdout.splitlines()[2:]:
        path, unit, value = line.split()
        rows[path] = ("" if unit == "-" else unit, value)
    return rows


def moved(path, value):
    if path.endswith(".missed_last"):
        return float(int(value) + 1)
    v = float(value)
    return 0.1 if v == 0.0 else v * 0.9


def quantity(value, unit):
    text = repr(value)
    return f'"{text} {unit}"' if unit else text


def run_sweep(tmp, name, base, parameter):
    sweep = os.path.join(tmp, name + ".toml")
    with open(sweep, "w") as f:
        f.write(SWEEP.format(base=base, parameter=parameter))
    out = os.path.join(tmp, name + ".h5")
    r = subprocess.run([BIN, "sweep", sweep, "-o", out, "-q", "--threads", "1"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return None, r.stderr
    with h5py.File(out, "r") as f:
        return {"parameters": f["sweep/parameters"][()], "metrics": f["sweep/metrics"][()],
                "status": f["sweep/status"][()], "names": list(f["sweep/parameter"].asstr()[:]),
                "units": list(f["sweep/parameters"].attrs["units"])}, ""


class EveryPathSweeps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.params = show_params()
        with open(BASE) as f:
            cls.base_text = f.read()
        assert "[overrides]" not in cls.base_text

        def one(item):
            i, (path, (unit, value)) = item
            now, new = float(value), moved(path, value)
            parameter = (f'[[parameter]]\npath = "{path}"\n'
                         f"values = [{quantity(now, unit)}, {quantity(new, unit)}]\n")
            swept, err = run_sweep(cls.tmp.name, f"a{i}", BASE, parameter)
            # The moved value through --set's override table, in a copy of the base scenario.
            base = os.path.join(cls.tmp.name, f"base{i}.toml")
            with open(base, "w") as f:
                f.write(cls.base_text + f'\n[overrides]\n"{path}" = {quantity(new, unit)}\n')
            overridden, err_b = run_sweep(cls.tmp.name, f"b{i}", base, "")
            shown = show_params("--set", f"{path}={repr(new)}{' ' + unit if unit else ''}")
            return path, dict(unit=unit, now=now, new=new, swept=swept, err=err,
                              overridden=overridden, err_b=err_b, shown=shown)

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            cls.results = dict(pool.map(one, enumerate(cls.params.items())))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_list_is_the_whole_scenario(self):
        self.assertGreaterEqual(len(self.params), 89)
        for prefix in ("heroin.hill", "naltrexone.metabolites[0].fraction",
                       "morphine.peripheral[1].volume", "naltrexone.peripheral[0].k12",
                       "naltrexone-oral-50mg.dosed_molar_mass",
                       "naltrexone-oral-50mg.first_pass[0].fraction",
                       "receptor.transducer_slope", "doses.naltrexone.0.missed_last"):
            self.assertIn(prefix, self.params)

    def test_every_path_is_accepted_and_recorded(self):
        for path, r in self.results.items():
            with self.subTest(path=path):
                self.assertIsNotNone(r["swept"], r["err"])
                s = r["swept"]
                self.assertEqual(s["names"], [path, "challenge.amount"])
                self.assertEqual(s["units"][0], r["unit"])
                self.assertEqual(list(s["parameters"][:, 0]), [r["now"], r["new"]])

    def test_the_swept_value_changes_the_metrics(self):
        for path, r in self.results.items():
            if r["swept"] is None:
                continue
            with self.subTest(path=path):
                m, status = r["swept"]["metrics"], r["swept"]["status"]
                if path in REFUSED or status[1] != 1:  # a value the model refuses
                    self.assertIn(path, REFUSED, "scenario failed")
                    self.assertEqual(list(status), [1, 2], "the sweep records it as failed")
                    continue
                if path in NO_EFFECT:
                    np.testing.assert_array_equal(m[0], m[1])
                else:
                    self.assertFalse(np.array_equal(m[0], m[1]), f"metrics unchanged: {m}")

    def test_set_reads_back_the_swept_value(self):
        for path, r in self.results.items():
            if r["swept"] is None:
                continue
            with self.subTest(path=path):
                if path in REFUSED:
                    self.assertIsNone(r["shown"])
                    continue
                # Exact but for the rounding of a derived spelling (ln 2 / ke0, k12 x V1).
                self.assertAlmostEqual(float(r["shown"][path][1]) / r["swept"]["parameters"][1, 0],
                                       1.0, delta=1e-14)

    def test_set_gives_the_sweep_scenario(self):
        for path, r in self.results.items():
            if r["swept"] is None:
                continue
            with self.subTest(path=path):
                if path in REFUSED:
                    self.assertIsNone(r["overridden"])
                    continue
                self.assertIsNotNone(r["overridden"], r["err_b"])
                got, want = r["overridden"]["metrics"][0], r["swept"]["metrics"][1]
                np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


# Moved values that make the model invalid: --set refuses them (a single phase's fraction of
# 0.9 leaves the phases summing to 0.9), and the sweep records the scenario as failed.
REFUSED = {"heroin-iv.bolus.fraction", "naltrexone-oral-50mg.gut.fraction"}

if __name__ == "__main__":
    unittest.main(verbosity=1)
