"""A failing sweep scenario is recorded with a reason that names the model's states (as
`morsim run` does), not x[0] ... x[n].

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import subprocess
import tempfile
import unittest

import h5py

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SWEEPS = os.path.join(SRC, "configs", "sweeps")


class SweepErrors(unittest.TestCase):
    def test_failures_name_the_states(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(SWEEPS, "oral-adherence-base.toml")) as f:
                base = f.read() + "\n[solver]\nmax_steps = 3\n"  # every scenario fails
            with open(os.path.join(tmp, "base.toml"), "w") as f:
                f.write(base)
            with open(os.path.join(SWEEPS, "oral-adherence.toml")) as f:
                sweep = f.read().replace('base = "oral-adherence-base.toml"',
                                         'base = "base.toml"')
            with open(os.path.join(tmp, "sweep.toml"), "w") as f:
                f.write(sweep)
            out = os.path.join(tmp, "s.h5")
            r = subprocess.run([BIN, "sweep", os.path.join(tmp, "sweep.toml"), "-o", out, "-q",
                                "--threads", "1"], capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(out, "r") as f:
                errors = f["sweep/errors"][()]
            self.assertGreater(len(errors), 0)
            reason = errors[0][1].decode()
            self.assertIn("max_steps", reason)
            self.assertIn("naltrexone.central = ", reason)
            self.assertNotIn("x[0]", reason)

    def test_a_base_scenario_with_a_reset_is_refused_at_load(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(SWEEPS, "oral-adherence-base.toml")) as f:
                base = f.read()
            # A reset (NONMEM EVID 3) on day 2: the sweep's event loop knows doses only.
            base += '\n[[arm.dose]]\nreset = true\ntime = "2 d"\n'
            with open(os.path.join(tmp, "base.toml"), "w") as f:
                f.write(base)
            with open(os.path.join(SWEEPS, "oral-adherence.toml")) as f:
                sweep = f.read().replace('base = "oral-adherence-base.toml"',
                                         'base = "base.toml"')
            with open(os.path.join(tmp, "sweep.toml"), "w") as f:
                f.write(sweep)
            r = subprocess.run([BIN, "validate", os.path.join(tmp, "sweep.toml")],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertIn("sweep.toml:", r.stderr)
            self.assertIn("reset", r.stderr)


if __name__ == "__main__":
    unittest.main()
