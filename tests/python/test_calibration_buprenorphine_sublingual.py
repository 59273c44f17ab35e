"""The shipped model values stay within the --check tolerance of every dataset of
configs/calibration/buprenorphine-sublingual.toml: `morsim fit --check` exits 0.

Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import subprocess
import sys
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
FIT = os.path.join(SRC, "configs", "calibration", "buprenorphine-sublingual.toml")


class CalibrationCheck(unittest.TestCase):
    def test_shipped_values_are_within_tolerance(self):
        out = subprocess.run([BIN, "fit", FIT, "--check"], capture_output=True, text=True,
                             timeout=600)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("check passed", out.stdout)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
