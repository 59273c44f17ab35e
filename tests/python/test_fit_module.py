#!/usr/bin/python3
"""Ceres is loaded by `morsim fit` alone: the program does not link it, runs without the
module beside it, and a fit without the module fails with exit 1 and one line saying what is
missing (instead of the dynamic loader refusing to start the program).

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR. Prints
'N passed, N failed'."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
FIT = os.path.join(SRC, "tests", "data", "fit", "onecpt-fit.toml")
SCENARIO = os.path.join(SRC, "configs", "reference", "ref-v1-control.toml")


def needed(path):
    """The shared libraries an ELF file names (DT_NEEDED), read with readelf."""
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True)
    return [line.split("[")[1].rstrip("]") for line in out.stdout.splitlines() if "(NEEDED)" in line]


class FitModule(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.alone = os.path.join(cls.tmp.name, "morsim")
        shutil.copy2(BIN, cls.alone)  # the program without libmorsim_ceres.so beside it

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_program_does_not_link_ceres(self):
        libs = needed(BIN)
        self.assertTrue(libs)
        for lib in libs:
            for name in ("ceres", "glog", "cholmod", "lapack", "blas"):
                self.assertNotIn(name, lib, f"morsim links {lib}")

    def test_module_brings_ceres_libraries(self):
        # Ceres itself is linked statically into the module; its libraries are named by it.
        module = os.path.join(os.path.dirname(os.path.realpath(BIN)), "libmorsim_ceres.so")
        libs = needed(module)
        for name in ("glog", "cholmod", "lapack"):
            self.assertTrue(any(name in lib for lib in libs), f"{name} not in {libs}")

    def test_run_without_module(self):
        out = os.path.join(self.tmp.name, "run.h5")
        r = subprocess.run([self.alone, "run", SCENARIO, "-o", out, "-q"], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(out))

    def test_fit_without_module(self):
        out = os.path.join(self.tmp.name, "fit.h5")
        r = subprocess.run([self.alone, "fit", FIT, "-o", out], capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("libmorsim_ceres.so", lines[0])
        self.assertIn("least-squares solver", lines[0])
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
