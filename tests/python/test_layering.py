"""The rooms of sim/ keep to their rules: every quoted #include in sim/ names a file of sim/,
io/ includes only io/, model/ and resources/, the physics (model/, binding/, pk/, solver/,
units/) includes nothing that reads files or the command line or runs a feature, nor
HDF5, TOML, CLI11 or MPI headers, and docs/architecture.md names
every folder under sim/ (and no folder that is not there), top down. No arrow runs back up: a
folder includes only folders listed below it there, and the folders form no cycle.

Run by CTest with /usr/bin/python3; needs MORSIM_SOURCE_DIR (the binary is not used). Prints
'N passed, N failed'."""
import os
import re
import sys
import unittest

SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SIM = os.path.join(SRC, "sim")
ARCHITECTURE = os.path.join(SRC, "docs", "architecture.md")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s*<([^>]+)>', re.M)

# Folders a room may include from (besides its own, system and third-party headers).
ONLY = {"io": {"io", "model", "resources"}}
# Folders a room must not include from.
PHYSICS_MUST_NOT = {"cli", "config", "io", "sweep", "population", "fit", "lessons"}
PHYSICS = ("model", "binding", "pk", "solver", "units")
NEVER = {room: PHYSICS_MUST_NOT for room in PHYSICS}
# Libraries of files, formats, the command line and processes: outside the physics.
IO_LIBRARY = re.compile(r"^(hdf5.*\.h|H5.*\.h|toml\+\+/.*|toml\.hpp|CLI/.*|mpi\.h)$")


def sim_folders():
    return sorted(d for d in os.listdir(SIM) if os.path.isdir(os.path.join(SIM, d)))


def includes():
    """(file relative to sim/, included path) for every quoted include of a C++ file."""
    out = []
    for root, _, files in os.walk(SIM):
        for name in files:
            if not name.endswith((".cpp", ".hpp", ".h")):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            rel = os.path.relpath(path, SIM)
            out += [(rel, inc) for inc in INCLUDE.findall(text)]
    return out


def system_includes():
    """(file relative to sim/, included header) for every #include <...> of a C++ file."""
    out = []
    for root, _, files in os.walk(SIM):
        for name in files:
            if name.endswith((".cpp", ".hpp", ".h")):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    out += [(os.path.relpath(path, SIM), inc)
                            for inc in SYSTEM_INCLUDE.findall(f.read())]
    return out


def library_violations(edges):
    """Messages for physics files that include an HDF5, TOML, CLI11 or MPI header."""
    return [f"sim/{rel}: #include <{inc}>: {rel.split(os.sep)[0]}/ is physics and includes no "
            "HDF5, TOML, CLI11 or MPI header (those belong to io/, config/, cli/, sweep/, ...)"
            for rel, inc in edges
            if rel.split(os.sep)[0] in PHYSICS and IO_LIBRARY.match(inc)]


def violations(edges):
    """Messages for the includes that break a rule; `edges` as returned by includes()."""
    bad = []
    for rel, inc in edges:
        room, target = rel.split(os.sep)[0], inc.split("/")[0]
        if "/" not in inc or not os.path.isfile(os.path.join(SIM, inc)):
            bad.append(f"sim/{rel}: #include \"{inc}\" is not a file of sim/ "
                       "(allowed: \"<folder>/<file>\" below sim/)")
            continue
        if target == room:
            continue
        if room in ONLY and target not in ONLY[room]:
            bad.append(f"sim/{rel}: #include \"{inc}\": {room}/ includes only "
                       f"{', '.join(sorted(ONLY[room]))}")
        if target in NEVER.get(room, ()):
            bad.append(f"sim/{rel}: #include \"{inc}\": {room}/ includes nothing from "
                       f"{', '.join(sorted(NEVER[room]))}")
    return bad


def folder_cycle(edges):
    """A list of folders that include each other in a ring, or [] when there is none."""
    graph = {}
    for rel, inc in edges:
        a, b = rel.split(os.sep)[0], inc.split("/")[0]
        if a != b:
            graph.setdefault(a, set()).add(b)
    state, path = {}, []

    def visit(a):
        state[a] = 1
        path.append(a)
        for b in sorted(graph.get(a, ())):
            if state.get(b) == 1:
                return path[path.index(b):] + [b]
            if b not in state:
                ring = visit(b)
                if ring:
                    return ring
        path.pop()
        state[a] = 2
        return []

    for a in sorted(graph):
        if a not in state:
            ring = visit(a)
            if ring:
                return ring
    return []


def documented_folders():
    """The sim/<folder>/ names that docs/architecture.md lists, one per table row."""
    with open(ARCHITECTURE, encoding="utf-8") as f:
        return re.findall(r"^\|\s*`sim/([\w-]+)/`\s*\|", f.read(), re.M)


class Layering(unittest.TestCase):
    def test_rules_hold(self):
        edges = includes()
        self.assertGreater(len(edges), 100, "the scan found almost no includes")
        self.assertEqual(violations(edges), [])

    def test_rules_catch_a_bad_include(self):
        # The check itself: a feature header in io/ and a config header in pk/ are reported,
        # a model header in io/ is not.
        bad = violations([(os.path.join("io", "h5_write.cpp"), "sweep/sweep_spec.hpp"),
                          (os.path.join("pk", "linear_pk.cpp"), "config/load_scenario.hpp"),
                          (os.path.join("io", "h5_write.cpp"), "model/scenario.hpp"),
                          (os.path.join("model", "compound.cpp"), "model/nowhere.hpp")])
        self.assertEqual(len(bad), 3, bad)
        self.assertIn("io/ includes only", bad[0])
        self.assertIn("pk/ includes nothing from", bad[1])
        self.assertIn("not a file of sim/", bad[2])

    def test_physics_includes_no_file_or_command_line_library(self):
        edges = system_includes()
        self.assertGreater(len(edges), 100, "the scan found almost no system includes")
        self.assertEqual(library_violations(edges), [])

    def test_library_rule_catches_a_bad_include(self):
        bad = library_violations([(os.path.join("model", "scenario.hpp"), "hdf5.h"),
                                  (os.path.join("solver", "dopri5.cpp"), "toml++/toml.h"),
                                  (os.path.join("pk", "linear_pk.cpp"), "CLI/CLI.hpp"),
                                  (os.path.join("io", "h5_write.cpp"), "hdf5.h"),
                                  (os.path.join("model", "compound.cpp"), "vector")])
        self.assertEqual(len(bad), 3, bad)
        self.assertIn("model/ is physics", bad[0])

    def test_no_cycle_between_folders(self):
        ring = folder_cycle(includes())
        self.assertEqual(ring, [], " -> ".join(ring))

    def test_cycle_check_finds_a_ring(self):
        ring = folder_cycle([(os.path.join("config", "a.cpp"), "lessons/b.hpp"),
                             (os.path.join("lessons", "b.cpp"), "analysis/c.hpp"),
                             (os.path.join("analysis", "c.cpp"), "config/d.hpp"),
                             (os.path.join("io", "e.cpp"), "model/f.hpp")])
        self.assertEqual(ring, ["analysis", "config", "lessons", "analysis"])

    def test_includes_point_down_the_picture(self):
        rank = {d: i for i, d in enumerate(documented_folders())}
        up = sorted({f"{rel.split(os.sep)[0]} -> {inc.split('/')[0]} (sim/{rel})"
                     for rel, inc in includes()
                     if inc.split("/")[0] in rank and rel.split(os.sep)[0] in rank
                     and rank[inc.split("/")[0]] < rank[rel.split(os.sep)[0]]})
        self.assertEqual(up, [], "includes of a folder listed above in docs/architecture.md")

    def test_every_folder_is_in_the_picture(self):
        listed = documented_folders()
        self.assertEqual(len(listed), len(set(listed)), "a folder is listed twice")
        self.assertEqual(sorted(listed), sim_folders(),
                         "docs/architecture.md must list each folder under sim/ once")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
