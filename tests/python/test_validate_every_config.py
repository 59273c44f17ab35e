"""`morsim validate` reads every kind of config morsim reads (scenario, sweep, population,
fit), so every shipped config validates, and a mistake in a population or sweep config is
exit 2 with its file and line; `morsim show` prints the model behind any of them.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import glob
import os
import subprocess
import tempfile
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def morsim(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)


class ValidateEveryConfig(unittest.TestCase):
    def test_every_shipped_config_validates(self):
        configs = sorted(glob.glob(os.path.join(SRC, "configs", "**", "*.toml"), recursive=True))
        kinds = set()
        for cfg in configs:
            with self.subTest(config=os.path.relpath(cfg, SRC)):
                r = morsim("validate", cfg)
                self.assertEqual(r.returncode, 0, r.stderr)
                for kind in ("sweep:", "population:", "fit:"):
                    if kind in r.stdout:
                        kinds.add(kind)
        self.assertEqual(kinds, {"sweep:", "population:", "fit:"})

    def test_a_population_mistake_names_its_line(self):
        with open(os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")) as f:
            text = f.read().replace("dropout_per_week", "dropout_per_weak", 1)
        with tempfile.TemporaryDirectory() as tmp:
            cfg = os.path.join(tmp, "pop.toml")
            with open(cfg, "w") as f:
                f.write(text)
            r = morsim("validate", cfg)
        self.assertEqual(r.returncode, 2, r.stdout)
        self.assertIn("pop.toml:", r.stderr)
        self.assertIn("dropout_per_weak", r.stderr)

    def test_show_prints_the_model_behind_a_sweep(self):
        r = morsim("show", os.path.join(SRC, "configs", "sweeps", "oral-adherence.toml"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("State vector", r.stdout)
        self.assertIn("naltrexone", r.stdout)


if __name__ == "__main__":
    unittest.main()
