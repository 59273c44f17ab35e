"""`mpirun -np N morsim population` (MPI build): subjects dealt to 2 and 3 ranks give a file with
the same datasets and attributes as one process (outcomes, draws, percentile bands).

Run by CTest in the MPI build only, with /usr/bin/python3; needs MORSIM_BIN, MORSIM_MPIEXEC
and MORSIM_SOURCE_DIR."""
import os
import subprocess
import tempfile
import unittest

import h5py
import numpy as np

BIN = os.environ.get("MORSIM_BIN", "morsim")
MPIEXEC = os.environ.get("MORSIM_MPIEXEC", "mpirun")
SRC = os.environ.get("MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
CONFIG = os.path.join(SRC, "configs", "population", "oral-vs-depot.toml")
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl_vader_single_copy_mechanism="none")


def population(out, ranks=0, threads="1"):
    cmd = [BIN, "population", CONFIG, "-o", out, "--subjects", "40", "--seed", "7",
           "--threads", threads]
    if ranks:
        cmd = [MPIEXEC, "--oversubscribe", "-np", str(ranks), *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, env=MPI_ENV, timeout=300)


def contents(path):
    data = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: data.__setitem__(n, o[()])
                     if isinstance(o, h5py.Dataset) else None)
        attrs = {k: str(f.attrs[k]) for k in f.attrs}
    return data, attrs


class MpiPopulation(unittest.TestCase):
    def test_ranks_equal_one_process(self):
        with tempfile.TemporaryDirectory() as tmp:
            one = os.path.join(tmp, "one.h5")
            r = population(one, threads="2")
            self.assertEqual(r.returncode, 0, r.stderr)
            ref, ref_attrs = contents(one)
            self.assertGreater(len(ref), 5)
            for ranks in (2, 3):
                out = os.path.join(tmp, f"{ranks}.h5")
                r = population(out, ranks=ranks)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout.count("wrote "), 1, r.stdout)  # rank 0 only
                data, attrs = contents(out)
                self.assertEqual(sorted(data), sorted(ref))
                for name, x in ref.items():
                    y = data[name]
                    if np.asarray(x).dtype.kind == "f":
                        np.testing.assert_array_equal(x, y, err_msg=f"{ranks} ranks: {name}")
                    else:
                        self.assertTrue(np.array_equal(x, y), f"{ranks} ranks: {name}")
                self.assertEqual(attrs, ref_attrs)


if __name__ == "__main__":
    unittest.main()
