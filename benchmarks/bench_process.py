#!/usr/bin/python3
"""Whole-process cost of `morsim run` on ref-v1-depot against the CVODE peer's whole process.

Each process is started, runs and exits: loading shared libraries, reading the config,
compiling the model, integrating and (for morsim) writing the HDF5 file all count. The two
commands are run alternately, so that both see the same load on a shared machine; the
medians of wall time and of CPU time (user + system, from the kernel's rusage) are printed.

usage: /usr/bin/python3 benchmarks/bench_process.py [--runs 20] [--build build]
           [--scenario ref-v1-depot] [--extra "morsim args"]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_once(cmd):
    """Wall seconds and CPU seconds (user + sys) of one run of cmd."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--scenario", default="ref-v1-depot")
    ap.add_argument("--morsim", help="morsim binary (default BUILD/bin/morsim)")
    ap.add_argument("--extra", default="", help="extra arguments to morsim run")
    args = ap.parse_args()

    morsim = args.morsim or os.path.join(args.build, "bin", "morsim")
    peer = os.path.join(args.build, "bin", "bench_cvode_ref_v1")
    config = os.path.join(ROOT, "configs", "reference", args.scenario + ".toml")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        commands = {
            "morsim run": [morsim, "run", config, "-o", out, "--force"] + args.extra.split(),
            # The peer as bench_ref_v1 runs it (rtol 1e-6, atol 1e-9), one solve, no reference.
            "CVODE peer": [
                peer, "--scenario", args.scenario, "--repeats", "1", "--rtol", "1e-6",
                "--atol", "1e-9", "--no-reference",
            ],
        }
        if not os.path.exists(peer):
            del commands["CVODE peer"]
        times = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(run_once(cmd))
        size = os.path.getsize(out)

    print(f"{args.scenario}, median of {args.runs} alternated runs")
    print(f"{'process':<12} {'wall_ms':>9} {'cpu_ms':>9}")
    medians = {}
    for name, samples in times.items():
        wall = statistics.median(w for w, _ in samples) * 1e3
        cpu = statistics.median(c for _, c in samples) * 1e3
        medians[name] = (wall, cpu)
        print(f"{name:<12} {wall:9.2f} {cpu:9.2f}")
    print(f"morsim output: {size} bytes")
    if "CVODE peer" in medians:
        (mw, mc), (pw, pc) = medians["morsim run"], medians["CVODE peer"]
        print(f"morsim / peer: wall {mw / pw:.2f}, cpu {mc / pc:.2f}")


if __name__ == "__main__":
    main()
