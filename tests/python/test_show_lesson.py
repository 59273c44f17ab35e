"""`morsim show FILE` of a scenario with a [lesson] table describes the lesson: its kind and
what it computes, the arm in each role, each setting as given (or that it is not), and the
named numbers of the paragraph in the order the text uses them."""
import os
import subprocess
import tempfile
import unittest

MORSIM = os.environ.get("MORSIM_BIN", "build/bin/morsim")
SOURCE = os.environ.get("MORSIM_SOURCE_DIR", ".")
DEMO = os.path.join(SOURCE, "configs", "demo")


def show(path):
    out = subprocess.run([MORSIM, "show", path], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise AssertionError(out.stderr)
    lines = out.stdout.splitlines()
    start = [i for i, l in enumerate(lines) if l.startswith("Lesson: ")]
    return lines[start[0]:] if start else []


class ShowLessonTest(unittest.TestCase):
    def test_blockade_with_renamed_arms_and_a_setting_left_out(self):
        with open(os.path.join(DEMO, "depot-blockade.toml")) as f:
            src = f.read()
        src = src.replace('treated = "naltrexone"', 'treated = "vivitrol"')
        src = src.replace('name = "naltrexone"', 'name = "vivitrol"')
        src = "\n".join(l for l in src.splitlines() if not l.startswith("low ="))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "mine.toml")
            with open(path, "w") as f:
                f.write(src + "\n")
            lines = show(path)
        self.assertEqual(lines[0], "Lesson: kind blockade, how long an antagonist holds the "
                                   "receptors and what repeated agonist challenges reach")
        self.assertIn("    control = control: the arm with the challenges alone", lines)
        self.assertIn("    treated = vivitrol: the arm with the antagonist and the same challenges",
                      lines)
        self.assertIn("    high = 0.9: occupancy of a strong block (default 0.9)", lines)
        self.assertIn("    low = (not given): occupancy of a partial block (default 0.5)", lines)
        # In the order of the text, each once, whatever the text repeats.
        placeholders = [p.strip("{}") for p in
                        lines[-1].removeprefix("  Paragraph numbers: ").split(", ")]
        in_text = []
        text = src[src.index('text = """'):]
        for part in text.split("{")[1:]:
            name = part.split("}")[0]
            if name not in in_text:
                in_text.append(name)
        self.assertEqual(placeholders, in_text)
        self.assertGreaterEqual(len(placeholders), 3)

    def test_missed_doses_lists_its_numbers_and_compounds(self):
        lines = show(os.path.join(DEMO, "oral-blockade.toml"))
        self.assertEqual(lines[0].split(",")[0], "Lesson: kind missed-doses")
        self.assertIn("    hours_after_last_dose = [2, 24, 48]: when to report the block "
                      "(default [2, 24, 48])", lines)
        self.assertIn("    compounds = naltrexone, 6-beta-naltrexol: compounds whose share of "
                      "the block is reported", lines)

    def test_no_lesson_table_no_lesson_section(self):
        with open(os.path.join(DEMO, "oral-blockade.toml")) as f:
            src = f.read()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "plain.toml")
            with open(path, "w") as f:
                f.write(src[:src.index("[lesson]")])
            self.assertEqual(show(path), [])


if __name__ == "__main__":
    unittest.main()
