"""The per-subject dose log of a population file (arms/<arm>/doses) against the adherence draws.

Three checks, each independent of the C++ code that writes the log:
- the log of every subject and arm recomputed here from the random stream that
  docs/population.md documents (SplitMix64 keyed by seed, purpose, arm and subject; the order
  of the draws) equals the stored one: statuses, times and amounts;
- over many subjects, the fraction of doses missed, the fraction of taken doses that are late
  and the mean delay are within 4 standard errors of the configured p_take, late_probability
  and the mean of an exponential capped at late_max; every scheduled dose is in the log once;
- the log agrees with the outcomes computed during the simulation (doses_taken_fraction,
  heroin_uses), and opens in xarray on a `dose` dimension with a `formulation` coordinate.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN. Prints 'N passed, N failed'."""
import math
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import xarray as xr

BIN = os.environ.get("MORSIM_BIN", "morsim")
SUBJECTS = 150
SEED = 11
END_H = 28 * 24.0

CONFIG = """
[scenario]
name = "dose-log"
use = ["heroin", "heroin-iv", "naltrexone-oral-50mg"]
[output]
start = "0 h"
end = "28 d"
step = "2 h"
[solver]
rtol = 2e-3
atol_occupancy = 1e-4

[[arm]]
name = "bernoulli"
[[arm.dose]]
formulation = "naltrexone-oral-50mg"
amount = "50 mg"
time = "8 h"
addl = 27
interval = "24 h"
[[arm.dose]]
formulation = "heroin-iv"
amount = "25 mg"
time = "3 d"
addl = 3
interval = "7 d"

[[arm]]
name = "markov"
[[arm.dose]]
formulation = "naltrexone-oral-50mg"
amount = "50 mg"
time = "8 h"
addl = 27
interval = "24 h"
[[arm.dose]]
formulation = "heroin-iv"
amount = "25 mg"
time = "3 d"
addl = 3
interval = "7 d"

[population]
subjects = 10
seed = 1
band_step = "2 h"

[[variability]]
parameter = "naltrexone.clearance"
distribution = "lognormal"
cv = 0.3

[[adherence]]
arm = "bernoulli"
formulation = "naltrexone-oral-50mg"
p_take = 0.7
late_probability = 0.25
late_mean = "3 h"
late_max = "6 h"

[[adherence]]
arm = "markov"
formulation = "naltrexone-oral-50mg"
p_stay_adherent = 0.8
p_stay_lapse = 0.5
late_probability = 0.1
late_mean = "2 h"
stop = "20 d"
dropout_per_week = 0.2
"""

# The arms' dose records, as the config above gives them: (formulation, time, addl, interval).
RECORDS = [("naltrexone-oral-50mg", 8.0, 50.0, 27, 24.0), ("heroin-iv", 72.0, 25.0, 3, 168.0)]
ADHERENCE = {
    0: dict(markov=False, p_take=0.7, late_p=0.25, late_mean=3.0, late_max=6.0,
            stop=math.inf, dropout=0.0),
    1: dict(markov=True, p_adherent=0.8, p_lapse=0.5, late_p=0.1, late_mean=2.0,
            late_max=8.0, stop=480.0, dropout=0.2),
}
TAKEN, LATE, MISSED = 0, 1, 2

# The random stream of docs/population.md ("Determinism and memory").
M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
ADHERENCE_PURPOSE = 3


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class Stream:
    def __init__(self, seed, purpose, arm, subject):
        k = mix((seed + GOLDEN) & M64)
        k = mix(k ^ ((purpose * GOLDEN) & M64))
        k = mix(k ^ ((arm + 0x632BE59BD9B4E019) & M64))
        self.key = mix(k ^ ((subject * 0xD1B54A32D192ED03) & M64))
        self.counter = 0

    def uniform(self):
        self.counter += 1
        u = mix((self.key + self.counter * GOLDEN) & M64)
        return ((u >> 11) + 0.5) * 2.0 ** -53

    def bernoulli(self, p):
        return self.uniform() < p

    def exponential(self, mean):
        return -mean * math.log(self.uniform())


def expected_log(arm, subject):
    """(intended, time, amount, status, formulation) of each dose, in applied-time order."""
    a = ADHERENCE[arm]
    rng = Stream(SEED, ADHERENCE_PURPOSE, arm, subject)
    stop = a["stop"]
    if a["dropout"] > 0:
        stop = min(stop, 0.0 + rng.exponential(168.0 / a["dropout"]))
    log = []
    formulation, t0, amount, addl, ii = RECORDS[0]
    took_previous = True
    for i in range(addl + 1):
        t = t0 + i * ii
        if t >= stop:
            taken = False
        elif not a["markov"]:
            taken = rng.bernoulli(a["p_take"])
        elif took_previous:
            taken = rng.bernoulli(a["p_adherent"])
        else:
            taken = not rng.bernoulli(a["p_lapse"])
        if t < stop:
            took_previous = taken
        status, applied = (TAKEN if taken else MISSED), t
        if taken and rng.bernoulli(a["late_p"]):
            applied = t + min(rng.exponential(a["late_mean"]), a["late_max"])
            status = LATE
        log.append((t, applied, amount, status, formulation))
    formulation, t0, amount, addl, ii = RECORDS[1]  # heroin: no adherence model
    for i in range(addl + 1):
        log.append((t0 + i * ii, t0 + i * ii, amount, TAKEN, formulation))
    return sorted(log, key=lambda d: d[1])  # stable, as the program's


class PopulationDoses(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        config = os.path.join(cls.tmp.name, "doses.toml")
        with open(config, "w") as f:
            f.write(CONFIG)
        cls.h5 = os.path.join(cls.tmp.name, "doses.h5")
        r = subprocess.run([BIN, "population", config, "-o", cls.h5, "-q", "--subjects",
                            str(SUBJECTS), "--seed", str(SEED)], capture_output=True, text=True,
                           timeout=300)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        cls.doses, cls.subjects = {}, {}
        for arm in ("bernoulli", "markov"):
            with xr.open_dataset(cls.h5, group=f"arms/{arm}/doses") as ds:
                cls.doses[arm] = ds.load()
            with xr.open_dataset(cls.h5, group=f"arms/{arm}/subjects") as ds:
                cls.subjects[arm] = ds.load()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rows(self, arm, subject):
        d = self.doses[arm]
        sel = d["subject"].values == subject
        names = d["formulation"].values[d["formulation_index"].values[sel]]
        return (d["intended_time_h"].values[sel], d["time_h"].values[sel],
                d["amount_mg"].values[sel], d["status"].values[sel], names)

    def test_the_log_is_the_documented_stream(self):
        for index, arm in enumerate(("bernoulli", "markov")):
            for s in range(SUBJECTS):
                want = expected_log(index, s)
                intended, time, amount, status, names = self.rows(arm, s)
                with self.subTest(arm=arm, subject=s):
                    self.assertEqual(len(status), len(want))
                    np.testing.assert_array_equal(status, [w[3] for w in want])
                    np.testing.assert_array_equal(names, [w[4] for w in want])
                    np.testing.assert_allclose(intended, [w[0] for w in want], rtol=1e-14)
                    np.testing.assert_allclose(time, [w[1] for w in want], rtol=1e-14)
                    np.testing.assert_allclose(amount, [w[2] for w in want], rtol=1e-14)

    def test_the_draws_match_the_adherence_parameters(self):
        d = self.doses["bernoulli"]
        oral = d["formulation"].values[d["formulation_index"].values] == "naltrexone-oral-50mg"
        status = d["status"].values[oral]
        shift = (d["time_h"] - d["intended_time_h"]).values[oral]
        n = status.size
        self.assertEqual(n, SUBJECTS * 28)
        missed = np.mean(status == MISSED)
        self.assertLess(abs(missed - 0.3), 4 * math.sqrt(0.3 * 0.7 / n), missed)
        taken = status != MISSED
        late = np.mean(status[taken] == LATE)
        self.assertLess(abs(late - 0.25), 4 * math.sqrt(0.25 * 0.75 / taken.sum()), late)
        delays = shift[status == LATE]
        self.assertTrue(np.all((delays > 0) & (delays <= 6.0)))
        self.assertTrue(np.all(shift[status != LATE] == 0))
        # min(X, 6 h) for X exponential with mean 3 h: E = 3 (1 - e^-2),
        # E[min^2] = 2 mu^2 (1 - e^-c (1 + c)) with c = 6/3 = 2.
        mean = 3 * (1 - math.exp(-2))
        var = 2 * 9 * (1 - math.exp(-2) * 3) - mean ** 2
        self.assertLess(abs(delays.mean() - mean), 4 * math.sqrt(var / delays.size),
                        delays.mean())

    def test_every_scheduled_dose_is_logged_once(self):
        scheduled = 8.0 + 24.0 * np.arange(28)
        for arm in ("bernoulli", "markov"):
            counts = self.subjects[arm]["dose_count"].values
            self.assertEqual(self.subjects[arm]["dose_count"].dims, ("subject",))
            self.assertEqual(int(counts.sum()), self.doses[arm].sizes["dose"])
            np.testing.assert_array_equal(counts, np.full(SUBJECTS, 28 + 4))
            subject = self.doses[arm]["subject"].values
            self.assertTrue(np.all(np.diff(subject) >= 0))  # subject by subject
            for s in range(0, SUBJECTS, 7):
                intended, time, _, status, names = self.rows(arm, s)
                oral = names == "naltrexone-oral-50mg"
                np.testing.assert_allclose(np.sort(intended[oral]), scheduled, rtol=1e-14)
                self.assertTrue(np.all(np.diff(time) >= 0))  # applied-time order
                self.assertTrue(np.all(status[~oral] == TAKEN))  # heroin has no adherence
        # Markov arm: nothing taken from the stop date (20 d) on.
        d = self.doses["markov"]
        oral = d["formulation"].values[d["formulation_index"].values] == "naltrexone-oral-50mg"
        after = oral & (d["intended_time_h"].values >= 480.0)  # heroin has no stop date
        self.assertTrue(after.any())
        self.assertTrue(np.all(d["status"].values[after] == MISSED))

    def test_the_log_agrees_with_the_simulated_outcomes(self):
        for arm in ("bernoulli", "markov"):
            fraction = self.subjects[arm]["doses_taken_fraction"].values
            uses = self.subjects[arm]["heroin_uses"].values
            for s in range(SUBJECTS):
                _, time, _, status, names = self.rows(arm, s)
                oral = names == "naltrexone-oral-50mg"
                self.assertEqual(fraction[s], np.sum(status[oral] != MISSED) / 28)
                self.assertEqual(uses[s], np.sum((~oral) & (status != MISSED) & (time <= END_H)))

    def test_layout_for_xarray_and_h5py(self):
        ds = self.doses["bernoulli"]
        self.assertEqual(ds["time_h"].dims, ("dose",))
        self.assertEqual(ds["status"].dims, ("dose",))
        self.assertEqual(ds["formulation"].dims, ("formulation",))
        self.assertEqual(sorted(ds["formulation"].values), ["heroin-iv", "naltrexone-oral-50mg"])
        compound = dict(zip(ds["formulation"].values, ds["compound"].values))
        self.assertEqual(compound["heroin-iv"], "heroin")
        np.testing.assert_array_equal(ds["dose"].values, np.arange(ds.sizes["dose"]))
        self.assertEqual(ds["time_h"].attrs["units"], "h")
        self.assertEqual(ds["status"].attrs["flag_meanings"], "taken late missed")
        np.testing.assert_array_equal(ds["status"].attrs["flag_values"], [0, 1, 2])
        with h5py.File(self.h5) as f:
            self.assertEqual(int(f.attrs["format_version"]), 2)
            col = f["arms/markov/doses/time_h"]
            self.assertEqual(col.maxshape, (None,))  # written a block at a time
            self.assertIsNotNone(col.chunks)
            self.assertEqual(col.compression, "gzip")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
