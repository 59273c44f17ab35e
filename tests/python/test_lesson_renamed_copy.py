"""Every shipped lesson config, copied to another folder under another file name, another
scenario name and other arm names, and run by `morsim demo FILE`, runs the same lesson as
`morsim run` of the original: the same kind and the same value for every named number of the
paragraph. Nothing in a lesson may hang on what its file, scenario or arms are called."""
import glob
import os
import re
import subprocess
import tempfile
import tomllib
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


ROLE_KEYS = ("alone", "compare", "control", "fast", "im", "iv", "slow", "treated")


def rename_arms(src, names):
    out, section, n, open_list = [], "", 0, False
    for line in src.splitlines(keepends=True):
        head = re.match(r"^\[\[?([a-z.]+)\]\]?", line)
        if head:
            section = head.group(1)
        in_arm = section == "arm" and line.startswith("name")
        role = section == "lesson" and re.match(r"^(%s)\s*=" % "|".join(ROLE_KEYS), line)
        in_role = role or open_list  # a role's list may run over several lines
        if role:
            open_list = "[" in line and "]" not in line
        elif open_list and "]" in line:
            open_list = False
        if in_arm or in_role:
            for old, new in names.items():
                line, k = re.subn('"' + re.escape(old) + '"', f'"{new}"', line)
                n += k
        out.append(line)
    assert n >= len(names), (n, names)
    return "".join(out)


def demo(cfg, cwd):
    # `morsim demo FILE` runs a lesson file as `morsim run` does, into FILE's stem in cwd.
    run = subprocess.run([MORSIM, "demo", cfg, "--no-plot", "-q"], cwd=cwd, capture_output=True,
                         text=True, timeout=300)
    if run.returncode != 0:
        raise AssertionError(f"{cfg}: {run.stderr}")
    stem = os.path.basename(cfg)[:-5]
    with h5py.File(os.path.join(cwd, stem + ".h5"), "r") as f:
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
                # Every arm renamed where the file names it, its [[arm]] table and the lesson's
                # roles (arms may share a name with a compound, which stays): the lesson finds
                # its arms by the names the file gives them.
                with open(path, "rb") as f:
                    arms = [a["name"] for a in tomllib.load(f)["arm"]]
                renamed = rename_arms(renamed, {a: f"group-{i}" for i, a in enumerate(arms)})
                os.mkdir(os.path.join(tmp, "elsewhere"))
                copy = os.path.join(tmp, "elsewhere", "lesson-copy.toml")
                with open(copy, "w") as f:
                    f.write(renamed)
                kind, values = lesson(path, tmp, "original.h5")
                kind_copy, values_copy = demo(copy, tmp)
                self.assertEqual(kind_copy, kind)
                self.assertTrue(values)
                self.assertEqual(values_copy, values)
                kinds.add(kind)
        self.assertEqual(kinds, {"blockade", "missed-doses", "surmount", "schild", "maintenance",
                                 "binding-mode", "rescue"})


if __name__ == "__main__":
    unittest.main()
