"""Model sets: a subfolder of models/ with its own compounds/ is selected by
`[scenario] models = "<set>"`; a set and the main folder may hold the same name, and each config
gets the one it asked for; `morsim show` names the file each model came from.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import re
import subprocess
import tempfile
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

COMPOUND = """name = "{name}"
molar_mass = "300 g/mol"
[pk]
central_volume = "{volume} L"
elimination_rate = "1 /h"
"""


def scenario(use, models=None):
    line = f'models = "{models}"\n' if models else ""
    return (f'[scenario]\nname = "s"\nuse = ["{use}"]\n{line}[receptor]\nmodel = "none"\n'
            '[output]\nend = "1 h"\n[[arm]]\nname = "a"\n')


def morsim(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


class ModelSets(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        models = os.path.join(self.root, "models")
        # The same name in the main folder (10 L) and in the set "trial" (20 L).
        self.main_file = write(os.path.join(models, "compounds", "drug.toml"),
                               COMPOUND.format(name="drug", volume=10))
        self.set_file = write(os.path.join(models, "trial", "compounds", "drug.toml"),
                              COMPOUND.format(name="drug", volume=20))
        write(os.path.join(models, "trial", "compounds", "only-in-set.toml"),
              COMPOUND.format(name="only-in-set", volume=30))

    def tearDown(self):
        self.tmp.cleanup()

    def show(self, name, text):
        cfg = write(os.path.join(self.root, "configs", name), text)
        return cfg, morsim("show", cfg)

    def test_a_set_is_found_by_name_and_wins_over_the_main_folder(self):
        _, r = self.show("set.toml", scenario("drug", "trial"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("V = 20 L", r.stdout)
        self.assertIn(f"  drug: {os.path.normpath(self.set_file)}\n", r.stdout)

    def test_without_a_set_the_main_folder_is_used(self):
        _, r = self.show("main.toml", scenario("drug"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("V = 10 L", r.stdout)
        self.assertIn(f"  drug: {os.path.normpath(self.main_file)}\n", r.stdout)

    def test_a_model_only_in_a_set_is_not_found_without_it(self):
        cfg, r = self.show("main.toml", scenario("only-in-set"))
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertRegex(lines[0], re.escape(cfg) + r":3: scenario.use\[0\]: .*only-in-set")
        _, r = self.show("set.toml", scenario("only-in-set", "trial"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("V = 30 L", r.stdout)

    def test_an_unknown_set_names_the_sets_there_are(self):
        cfg, r = self.show("bad.toml", scenario("drug", "trail"))
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(f"{cfg}:4: scenario.models: no model set 'trail'", lines[0])
        self.assertIn("did you mean 'trial'", lines[0])
        self.assertIn("allowed: trial;", lines[0])

    def test_the_fda_set_is_built_in_for_an_exported_demo(self):
        # Outside any models/ folder the exported demo takes models/fda2022 from the binary.
        with tempfile.TemporaryDirectory() as out:
            r = morsim("demo", "naloxone-rescue", "--export", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            r = morsim("show", os.path.join(out, "naloxone-rescue.toml"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("  fentanyl: models/fda2022/compounds/fentanyl.toml (built-in)\n", r.stdout)
        self.assertIn("  receptor: models/fda2022/receptor/mor.toml (built-in)\n", r.stdout)
        # The FDA code's Hill exponent, not the main library's 0.844.
        self.assertIn("n = 0.8439", r.stdout)

    def test_the_repository_demo_names_its_files_on_disk(self):
        r = morsim("show", os.path.join(SRC, "configs", "demo", "naloxone-rescue.toml"))
        self.assertEqual(r.returncode, 0, r.stderr)
        want = os.path.join(SRC, "models", "fda2022", "formulations", "naloxone-im-injection.toml")
        self.assertIn(f"  naloxone-im-injection: {os.path.normpath(want)}\n", r.stdout)


if __name__ == "__main__":
    unittest.main()
