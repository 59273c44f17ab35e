"""A full disk is a clear error: `run`, `population` and `demo` exit 1 with one line, never a
crash, leave no partial or scratch file, and an existing output replaced with --force survives
the failed run intact.

Needs root to mount a small tmpfs (CI runs as root); skipped, saying why, otherwise.
Run by CTest with /usr/bin/python3; needs MORSIM_BIN and MORSIM_SOURCE_DIR."""
import os
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("MORSIM_BIN", "morsim")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
ORAL = os.path.join(SRC, "configs", "demo", "oral-blockade.toml")
POP = os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")


def run(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


class FullDisk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.base = tempfile.TemporaryDirectory()
        cls.mnt = os.path.join(cls.base.name, "small")
        os.mkdir(cls.mnt)
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root to mount a small tmpfs")
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", cls.mnt],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise unittest.SkipTest(f"cannot mount a tmpfs here: {r.stderr.strip()}")

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["umount", cls.mnt], capture_output=True)
        cls.base.cleanup()

    def setUp(self):
        for f in os.listdir(self.mnt):
            os.remove(os.path.join(self.mnt, f))

    def fill(self, leave_bytes):
        """Takes all but about `leave_bytes` of the tmpfs."""
        st = os.statvfs(self.mnt)
        free = st.f_bavail * st.f_frsize
        with open(os.path.join(self.mnt, "filler"), "wb") as f:
            f.write(b"\0" * max(free - leave_bytes, 0))

    def assertCleanFailure(self, r, keep=()):
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)  # not a signal (negative)
        self.assertIn("No space left on device", r.stderr)
        self.assertNotIn("HDF5-DIAG", r.stderr)
        left = sorted(set(os.listdir(self.mnt)) - {"filler", *keep})
        self.assertEqual(left, [], "files left behind")

    def test_run(self):
        self.fill(64 * 1024)
        self.assertCleanFailure(run("run", ORAL, "-o", os.path.join(self.mnt, "a.h5"), "-q"))

    def test_population(self):
        self.fill(64 * 1024)
        r = run("population", POP, "-o", os.path.join(self.mnt, "p.h5"), "--subjects", "40",
                "-q")
        self.assertCleanFailure(r)

    def test_demo(self):
        self.fill(64 * 1024)
        self.assertCleanFailure(run("demo", "oral-blockade", "--no-plot", cwd=self.mnt))

    def test_an_existing_output_survives_a_failed_force(self):
        good = os.path.join(self.base.name, "good.h5")
        r = run("run", ORAL, "-o", good, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        target = os.path.join(self.mnt, "a.h5")
        shutil.copy(good, target)
        self.fill(64 * 1024)
        r = run("run", ORAL, "-o", target, "--force", "-q")
        self.assertCleanFailure(r, keep=("a.h5",))
        with open(good, "rb") as a, open(target, "rb") as b:
            self.assertEqual(a.read(), b.read(), "the existing output was damaged")


if __name__ == "__main__":
    unittest.main()
