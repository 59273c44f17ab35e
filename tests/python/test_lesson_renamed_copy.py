"""Every shipped lesson config, copied to another folder under another file name and another
scenario name, runs the same lesson: the same kind and the same value for every named number
of the paragraph. Nothing in a lesson may hang on what its file or scenario is called."""
import glob
import os
import re
import subprocess
import tempfile
import unittest

import h5py

MORSIM = os.environ.get("MORSIM_BIN", "build/bin/morsim")
SOURCE = os.environ.get("MORSIM_SOURCE_DIR", ".")
DEMO = os.path.abspath(os.path.join(SOURCE, "configs", "demo"))


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def read(path):
    with open(path) as f:
        return f.read()


def lesson(cfg, cwd, out):
    run = subprocess.run([MORSIM, "run", cfg, "-o", out, "-q"], cwd=cwd, capture_output=True,
                         text=True, timeout=300)
    if run.returncode != 0:
        raise AssertionError(f"{cfg}: {run.stderr}")
    with h5py.File(os.path.join(cwd, out), "r") as f:
        g = f["lesson"]
        return text(g.attrs["kind"]), {k: text(v) for k, v in g["values"].attrs.items()}


class LessonRenamedCopyTest(unittest.TestCase):
    def test_every_lesson_config_renamed_gives_the_same_numbers(self):
        configs = [p for p in sorted(glob.glob(os.path.join(DEMO, "*.toml")))
                   if re.search(r"^\[lesson\]", read(p), re.M)]
        self.assertGreaterEqual(len(configs), 7)
        kinds = set()
        for path in configs:
            name = os.path.basename(path)[:-5]
            with self.subTest(config=name), tempfile.TemporaryDirectory() as tmp:
                src = read(path)
                renamed, n = re.subn(r'^name = "' + re.escape(name) + '"',
                                     'name = "someone-elses-lesson"', src, count=1, flags=re.M)
                self.assertEqual(n, 1, "the [scenario] name line")
                os.mkdir(os.path.join(tmp, "elsewhere"))
                copy = os.path.join(tmp, "elsewhere", "lesson-copy.toml")
                with open(copy, "w") as f:
                    f.write(renamed)
                kind, values = lesson(path, tmp, "original.h5")
                kind_copy, values_copy = lesson(copy, tmp, "copy.h5")
                self.assertEqual(kind_copy, kind)
                self.assertTrue(values)
                self.assertEqual(values_copy, values)
                kinds.add(kind)
        self.assertEqual(kinds, {"blockade", "missed-doses", "surmount", "schild", "maintenance",
                                 "binding-mode", "rescue"})


if __name__ == "__main__":
    unittest.main()
