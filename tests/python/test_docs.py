"""The docs match the program: every `morsim` command line in README.md and docs/*.md names a
command and options that exist, every repository path they mention exists, the complete
scenario example and those of sweeps, fits and populations validate, every other TOML fragment
validates where its mark puts it (an error example fails as shown), a demo's file records
its config path as documented, the root attributes listed in docs/output.md are exactly those
of a written results file, the arm, lesson, sweep and population attributes and layout units
the docs list are those written, the datasets listed in docs/population.md are exactly those of
a written population file, and the Python examples of both run.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import tomllib
import unittest

import h5py

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
DOCS = [os.path.join(SRC, "README.md")] + sorted(glob.glob(os.path.join(SRC, "docs", "*.md")))
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def text_of(path):
    with open(path) as f:
        return f.read()


def blocks(path, lang):
    return [b for l, b in FENCE.findall(text_of(path)) if l == lang]


# A TOML block of the docs is checked as the HTML comment just before it says:
#   <!-- toml: scenario -->              a whole scenario: `morsim validate` passes
#   <!-- toml: example -->               a complete example, validated by its own test below
#   <!-- toml: into PATH[, run SCN] -->  merged into the shipped file PATH (tables key by key)
#   <!-- toml: file PATH[, run SCN] -->  the whole model file PATH
#   <!-- toml: error-example -->         a whole file; the next fenced block is its one-line error
# For a model file, SCN (default configs/demo/oral-blockade.toml) is what validates.
TOML_MARK = re.compile(r"<!--\s*toml:\s*(.*?)\s*-->\s*\n```toml\n(.*?)^```\n", re.M | re.S)
DEFAULT_SCENARIO = "configs/demo/oral-blockade.toml"


def toml_blocks(path):
    """(mark, block, the next fenced block after it) of every marked TOML block of `path`."""
    text = text_of(path)
    out = []
    for m in TOML_MARK.finditer(text):
        after = FENCE.search(text, m.end())
        out.append((m.group(1), m.group(2), after.group(2) if after else ""))
    return out


def toml_value(v):
    """`v` (from tomllib) as inline TOML."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + " }"


def toml_text(doc):
    """A parsed TOML document written back: top-level tables and arrays of tables, values inline."""
    out = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in doc.items()
           if not isinstance(v, dict) and not (isinstance(v, list) and v and
                                               all(isinstance(x, dict) for x in v))]
    for k, v in doc.items():
        if isinstance(v, dict):
            out.append(f"\n[{json.dumps(k)}]")
            out += [f"{json.dumps(kk)} = {toml_value(vv)}" for kk, vv in v.items()]
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for item in v:
                out.append(f"\n[[{json.dumps(k)}]]")
                out += [f"{json.dumps(kk)} = {toml_value(vv)}" for kk, vv in item.items()]
    return "\n".join(out) + "\n"


def merged(base, piece):
    """`piece`'s tables merged into `base`, key by key; other values replace."""
    out = dict(base)
    for k, v in piece.items():
        out[k] = merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def command_lines(path):
    """`morsim ...` lines of sh blocks and inline code spans, with [optional] parts removed."""
    text = text_of(path)
    lines = []
    for block in blocks(path, "sh"):
        lines += [l.split(" #")[0] for l in block.splitlines()]
    prose = FENCE.sub("", text)
    lines += re.findall(r"`((?:mpirun [^`]*)?morsim [^`]+)`", prose)
    out = []
    for line in lines:
        line = re.sub(r"\[[^\]]*\]", " ", line).replace("…", " ").strip()
        if "morsim " not in line or line.startswith("#"):
            continue
        out.append(line[line.index("morsim "):])
    return out


def help_text(*args):
    r = subprocess.run([BIN, *args, "--help"], capture_output=True, text=True, timeout=60)
    return r.stdout + r.stderr


class DocsMatchTheProgram(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        top = help_text()
        cls.commands = set(re.findall(r"^\s{2}(\w+)\s", top[top.find("Subcommands"):], re.M))
        cls.helps = {}

    def options_of(self, command):
        if command not in self.helps:
            self.helps[command] = set(re.findall(r"(--?[\w-]+)", help_text(command)))
        return self.helps[command]

    def test_command_lines_name_real_commands_and_options(self):
        self.assertIn("run", self.commands)
        seen = 0
        for doc in DOCS:
            for line in command_lines(doc):
                try:
                    tokens = shlex.split(line)
                except ValueError:
                    tokens = line.split()
                if len(tokens) < 2 or tokens[1] in ("--version",):
                    continue
                with self.subTest(doc=os.path.basename(doc), line=line):
                    seen += 1
                    self.assertIn(tokens[1], self.commands, f"no command '{tokens[1]}'")
                    for t in tokens[2:]:
                        if t.startswith("-") and len(t) > 1 and not re.match(r"-\d", t):
                            opt = t.split("=")[0]
                            self.assertIn(opt, self.options_of(tokens[1]),
                                          f"morsim {tokens[1]} has no option {opt}")
        self.assertGreater(seen, 20, "the docs hold fewer command lines than expected")

    def test_repository_paths_exist(self):
        pattern = re.compile(r"(?<![\w/.-])((?:configs|models|docs|tests|scripts|benchmarks|sim)"
                             r"/[\w./*<>-]+)")
        for doc in DOCS:
            for path in set(pattern.findall(text_of(doc))):
                path = path.rstrip(".,:;)")
                if any(c in path for c in "*<>") or path.endswith("/"):
                    continue
                with self.subTest(doc=os.path.basename(doc), path=path):
                    self.assertTrue(os.path.exists(os.path.join(SRC, path)),
                                    f"{path} does not exist")

    def test_the_complete_scenario_example_validates(self):
        text = text_of(os.path.join(SRC, "docs", "config.md"))
        section = text[text.index("## Scenario file (complete example)"):]
        example = FENCE.search(section).group(2)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "example.toml")
            with open(path, "w") as f:
                f.write(example)
            r = subprocess.run([BIN, "validate", path], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)

    def validate(self, path):
        r = subprocess.run([BIN, "validate", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_the_sweep_fit_and_population_examples_validate(self):
        """Each complete example, where its relative paths lead to the shipped files."""
        def example(doc, first):
            found = [b for b in blocks(os.path.join(SRC, "docs", doc), "toml")
                     if b.startswith(first)]
            self.assertEqual(len(found), 1, f"{doc}: one toml block starting {first}")
            return found[0]
        with tempfile.TemporaryDirectory() as tmp:
            # The sweep file beside its base scenario.
            sweep = os.path.join(tmp, "sweep")
            os.mkdir(sweep)
            shutil.copy(os.path.join(SRC, "configs", "sweeps", "surmountability-base.toml"), sweep)
            with open(os.path.join(sweep, "example.toml"), "w") as f:
                f.write(example("sweeps.md", "[sweep]"))
            with self.subTest(doc="sweeps.md"):
                self.validate(os.path.join(sweep, "example.toml"))
            # The fit file where the calibration's data/ and scenarios/ are.
            fit = os.path.join(tmp, "fit")
            for d in ("data", "scenarios"):
                shutil.copytree(os.path.join(SRC, "configs", "calibration", d),
                                os.path.join(fit, d))
            with open(os.path.join(fit, "example.toml"), "w") as f:
                f.write(example("fit.md", "[fit]"))
            with self.subTest(doc="fit.md"):
                self.validate(os.path.join(fit, "example.toml"))
            # The population tables after the scenario tables of the shipped study.
            shipped = text_of(os.path.join(SRC, "configs", "population", "oral-vs-depot.toml"))
            scenario = shipped[:re.search(r"^\[population\]", shipped, re.M).start()]
            with open(os.path.join(tmp, "population.toml"), "w") as f:
                f.write(scenario + example("population.md", "[population]"))
            with self.subTest(doc="population.md"):
                self.validate(os.path.join(tmp, "population.toml"))

    def test_every_toml_fragment_is_marked_and_checked(self):
        """Each TOML block of the docs validates as its mark says; an error example fails with
        exit 2 and the message shown after it."""
        marked = 0
        for doc in DOCS:
            found = toml_blocks(doc)
            self.assertEqual(len(found), len(blocks(doc, "toml")),
                             f"{os.path.basename(doc)}: a TOML block without <!-- toml: ... -->")
            for mark, block, after in found:
                marked += 1
                with self.subTest(doc=os.path.basename(doc), mark=mark,
                                  block=block.splitlines()[0]), \
                        tempfile.TemporaryDirectory() as tmp:
                    self.check_fragment(tmp, mark, block, after)
        self.assertGreaterEqual(marked, 11)

    def check_fragment(self, tmp, mark, block, after):
        m = re.fullmatch(r"(into|file) ([\w./-]+)(?:, run ([\w./-]+))?", mark)
        if mark in ("scenario", "error-example"):
            # The file name of an error example is the one its message shows.
            name = after.split(":")[0] if mark == "error-example" else "example.toml"
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(block)
            r = subprocess.run([BIN, "validate", name], capture_output=True, text=True,
                               cwd=tmp, timeout=60)
            if mark == "scenario":
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            else:
                self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
                self.assertEqual(r.stderr.strip(), "morsim validate: " + after.strip())
            return
        if mark == "example":
            first = block.splitlines()[0]
            self.assertIn(first, ("[scenario]", "[sweep]", "[fit]", "[population]"))
            return
        self.assertTrue(m, f"unknown mark '{mark}'")
        how, target, scenario = m.group(1), m.group(2), m.group(3)
        shutil.copytree(os.path.join(SRC, "models"), os.path.join(tmp, "models"))
        if how == "file":
            text = block
        else:
            with open(os.path.join(SRC, target), "rb") as f:
                base = tomllib.load(f)
            text = toml_text(merged(base, tomllib.loads(block)))
        if not target.startswith("models/"):
            scenario = target
        elif scenario is None:
            scenario = DEFAULT_SCENARIO
        for path in {target, scenario}:
            os.makedirs(os.path.dirname(os.path.join(tmp, path)), exist_ok=True)
        if target != scenario:
            shutil.copy(os.path.join(SRC, scenario), os.path.join(tmp, scenario))
        with open(os.path.join(tmp, target), "w") as f:
            f.write(text)
        self.validate(os.path.join(tmp, scenario))

    def test_a_demo_file_records_where_its_config_is_and_the_command(self):
        """docs/output.md: config_path of a built-in demo is its path in the repository."""
        with tempfile.TemporaryDirectory() as tmp:
            r = subprocess.run([BIN, "demo", "oral-blockade", "--no-plot"], capture_output=True,
                               text=True, cwd=tmp, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(os.path.join(tmp, "oral-blockade.h5"), "r") as f:
                path, command = f.attrs["config_path"], f.attrs["command"]
        self.assertEqual(path, "configs/demo/oral-blockade.toml")
        self.assertTrue(os.path.exists(os.path.join(SRC, path)))
        self.assertEqual(command, "morsim demo oral-blockade")
        text = text_of(os.path.join(SRC, "docs", "output.md"))
        self.assertIn("a built-in demo: its path in the repository, `configs/demo/<name>.toml`",
                      text)

    def test_relative_links_and_images_exist(self):
        for doc in DOCS:
            for target in re.findall(r"\]\(([^)#\s]+)", FENCE.sub("", text_of(doc))):
                if "://" in target or target.startswith("mailto:"):
                    continue
                with self.subTest(doc=os.path.basename(doc), link=target):
                    path = os.path.join(os.path.dirname(doc), target)
                    self.assertTrue(os.path.exists(path), f"{target} does not exist")

    def test_python_examples_run(self):
        """docs/output.md's h5py and xarray examples, on a file of the oral lesson and a fit."""
        with tempfile.TemporaryDirectory() as tmp:
            cfg = os.path.join(SRC, "configs", "demo", "oral-blockade.toml")
            fit = os.path.join(SRC, "configs", "calibration", "naltrexone-brain.toml")
            for args in (["run", cfg, "-o", "results.h5"], ["fit", fit, "-o", "fit.h5"]):
                r = subprocess.run([BIN, *args, "-q"], capture_output=True, text=True, cwd=tmp,
                                   timeout=300)
                self.assertEqual(r.returncode, 0, r.stderr)
            examples = [b for b in blocks(os.path.join(SRC, "docs", "output.md"), "python")
                        if "results.h5" in b or "fit.h5" in b]
            self.assertGreaterEqual(len(examples), 3)
            for code in examples:
                with self.subTest(example=code.splitlines()[0]):
                    r = subprocess.run(["/usr/bin/python3", "-c",
                                        "import matplotlib\nmatplotlib.use('Agg')\n" + code],
                                       capture_output=True, text=True, cwd=tmp, timeout=120)
                    self.assertEqual(r.returncode, 0, r.stderr)

    def test_r_and_matlab_examples_name_what_a_results_file_holds(self):
        """No R or MATLAB here: the datasets and compounds their examples name must exist."""
        text = text_of(os.path.join(SRC, "docs", "output.md"))
        code = "\n".join(b for l, b in FENCE.findall(text) if l in ("r", "matlab"))
        paths = set(re.findall(r"[\"'](/?control/[\w/]+)[\"']", code))
        paths |= {"control/" + p for p in re.findall(r"arm\[\[\"([\w/]+)\"\]\]", code)}
        compounds = set(re.findall(r"strcmp\(compounds, '([\w-]+)'\)", code))
        self.assertGreaterEqual(len(paths), 6)
        self.assertTrue(compounds)
        with tempfile.TemporaryDirectory() as tmp:
            cfg = os.path.join(SRC, "configs", "demo", "oral-blockade.toml")
            r = subprocess.run([BIN, "run", cfg, "-o", "results.h5", "-q"], capture_output=True,
                               text=True, cwd=tmp, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(os.path.join(tmp, "results.h5"), "r") as f:
                for p in sorted(paths):
                    with self.subTest(path=p):
                        self.assertIn(p.lstrip("/"), f)
                written = {c.decode() for c in f["control/compound"][()]}
        self.assertLessEqual(compounds, written)

    def test_root_attributes_are_those_of_a_results_file(self):
        text = text_of(os.path.join(SRC, "docs", "output.md"))
        table = text[text.index("Root attributes:"):text.index("Arm group attributes")]
        documented = set()
        for row in table.splitlines():
            if row.startswith("| `"):
                documented |= set(re.findall(r"`(\w+)`", row.split("|")[1]))
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "r.h5")
            cfg = os.path.join(SRC, "configs", "demo", "oral-blockade.toml")
            r = subprocess.run([BIN, "run", cfg, "-o", out, "-q"], capture_output=True,
                               text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(out, "r") as f:
                written = set(f.attrs.keys())
        self.assertEqual(documented, written)


    def population_file(self, tmp):
        """A tiny run of the shipped study, as pop.h5 in `tmp`."""
        cfg = os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")
        r = subprocess.run([BIN, "population", cfg, "-o", "pop.h5", "--subjects", "3", "-q"],
                           capture_output=True, text=True, cwd=tmp, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return os.path.join(tmp, "pop.h5")

    def test_documented_attributes_are_those_written(self):
        """The attributes docs/output.md, docs/sweeps.md and docs/population.md list are those
        of a written results (with a lesson), sweep and population file, and the units of the
        layouts are the files' `units`."""
        output = text_of(os.path.join(SRC, "docs", "output.md"))
        sweeps = text_of(os.path.join(SRC, "docs", "sweeps.md"))
        population = text_of(os.path.join(SRC, "docs", "population.md"))

        def names_in(text, start, end):
            """Backticked identifiers between `start` and the next `end` (no numbers)."""
            i = text.index(start)
            part = text[i:text.index(end, i)]
            return {n for n in re.findall(r"`(\w+)`", part) if not n.isdigit()}

        with tempfile.TemporaryDirectory() as tmp:
            cfg = os.path.join(SRC, "configs", "demo", "depot-blockade.toml")
            sweep = os.path.join(SRC, "configs", "sweeps", "surmountability.toml")
            for args in (["run", cfg, "-o", "r.h5"], ["sweep", sweep, "-o", "s.h5"]):
                r = subprocess.run([BIN, *args, "-q"], capture_output=True, text=True, cwd=tmp,
                                   timeout=300)
                self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(os.path.join(tmp, "r.h5"), "r") as f:
                arm_attrs = names_in(output, "Arm group attributes:", "\n\n")
                self.assertEqual(len(arm_attrs), 8)
                layout = FENCE.search(output, output.index("## Layout")).group(2)
                units = dict(re.findall(r'^/<arm>/([\w/]+)\s.*?units "([^"]*)"', layout, re.M))
                self.assertEqual(len(units), 9)
                for arm in ("control", "naltrexone"):
                    with self.subTest(arm=arm):
                        self.assertEqual(set(f[arm].attrs), arm_attrs)
                        for name, unit in units.items():
                            self.assertEqual(f[arm][name].attrs["units"], unit, name)
                        self.assertEqual(f[arm]["time"].attrs["axis"], "T")
                        self.assertEqual(f[arm]["effect"].attrs["modelled"], 1)
                datasets = []
                f.visititems(lambda n, o: datasets.append(o) if isinstance(o, h5py.Dataset)
                             else None)
                for d in datasets:  # "Every dataset has `units` and `long_name` attributes"
                    self.assertLessEqual({"units", "long_name"}, set(d.attrs), d.name)
                lesson = re.search(r"^/lesson\s+attributes (.*)$", output, re.M).group(1)
                documented = {w.strip().split()[0] for w in re.sub(r"\([^)]*\)", "",
                                                                   lesson).split(",")}
                self.assertEqual(set(f["lesson"].attrs), documented)
                self.assertEqual(set(f["lesson/roles"].attrs), {"control", "treated"})
            with h5py.File(os.path.join(tmp, "s.h5"), "r") as f:
                self.assertEqual(set(f.attrs), names_in(sweeps, "Root attributes:", "\nDatasets"))
                table = sweeps[sweeps.index("## Output file"):sweeps.index("Root attributes:")]
                checked = 0
                for row in table.splitlines():
                    m = re.match(r"\| (`/sweep/.*?) \|.*attribute `(\w+)`", row)
                    for path in re.findall(r"`/(sweep/\w+)`", m.group(1)) if m else []:
                        checked += 1
                        with self.subTest(dataset=path):
                            self.assertIn(m.group(2), f[path].attrs)
                self.assertEqual(checked, 4)
        with tempfile.TemporaryDirectory() as tmp:
            with h5py.File(self.population_file(tmp), "r") as f:
                layout = FENCE.search(population, population.index("## The file")).group(2)
                root = layout[:layout.index("\n/subjects")].split("attrs:", 1)[1]
                documented = {w.split("=")[0].strip() for w in
                              re.sub(r"\([^)]*\)", "", root).replace("\n", " ").split(",")}
                self.assertEqual(set(f.attrs), documented)
                outcomes = names_in(population, "Per arm (attributes of", "(median")
                self.assertEqual(len(outcomes), 7)
                for arm in ("oral", "depot"):
                    self.assertEqual(set(f[f"arms/{arm}/outcomes"].attrs), outcomes)
                    self.assertLessEqual({"flag_values", "flag_meanings"},
                                         set(f[f"arms/{arm}/doses/status"].attrs))
                self.assertIn("parameter_units", f["subjects/parameters"].attrs)
                # Layout lines whose unit follows the shape: h, kg, mg.
                with_unit = re.findall(r"^(/\S+)\s+\([A-Z, ]+\)\s+(h|kg|mg)\b", layout, re.M)
                self.assertEqual(len(with_unit), 5)
                for path, unit in with_unit:
                    for arm in ("oral", "depot"):
                        with self.subTest(dataset=path, arm=arm):
                            self.assertEqual(f[path.replace("<arm>", arm)].attrs["units"], unit)

    def test_population_layout_is_that_of_a_population_file(self):
        text = text_of(os.path.join(SRC, "docs", "population.md"))
        section = text[text.index("## The file"):]
        layout = FENCE.search(section).group(2)
        outcomes = text[text.index("## Outcomes"):text.index("## The file")]
        documented = set()
        for line in layout.splitlines():
            if not line.startswith("/"):
                continue
            path = line.split()[0]
            if path.endswith("/..."):  # the outcomes of the table above
                for name in re.findall(r"^\| `(\w+)` \|", outcomes, re.M):
                    documented.add(path[:-3] + name)
            else:
                documented.add(path)
        with tempfile.TemporaryDirectory() as tmp:
            with h5py.File(self.population_file(tmp), "r") as f:
                arms = list(f["arms"])
                written = {"/"}
                f.visit(lambda n: written.add("/" + n))
        self.assertEqual(arms, ["oral", "depot"])
        expanded = {p.replace("<arm>", a) for p in documented for a in arms}
        groups = {"/arms", "/subjects"} | {f"/arms/{a}{g}" for a in arms
                                           for g in ("", "/subjects", "/doses")}
        self.assertEqual(expanded | groups, written)

    def test_population_python_examples_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.population_file(tmp)
            examples = [b for b in blocks(os.path.join(SRC, "docs", "population.md"), "python")]
            self.assertGreaterEqual(len(examples), 2)
            for code in examples:
                with self.subTest(example=code.splitlines()[0]):
                    r = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True,
                                       text=True, cwd=tmp, timeout=120)
                    self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
