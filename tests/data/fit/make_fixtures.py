#!/usr/bin/python3
"""Writes the synthetic CSV datasets of tests/data/fit from onecpt.toml at its own parameter
values (CL 10 L/h, V 50 L, ke0 1 /h, F 0.6, transit 1.5 /h), and those of the benchmark
fixture from bench-naltrexone-scenario.toml, with seeded noise. The data are committed; rerun
only to change them:

    MORSIM_BIN=build/bin/morsim /usr/bin/python3 tests/data/fit/make_fixtures.py
"""
import os
import subprocess
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("MORSIM_BIN", os.path.join(HERE, "..", "..", "..", "build", "bin", "morsim"))
MW = 300.0  # g/mol: ng/mL = nM * MW / 1000


def simulate(scenario="onecpt.toml", arms=("iv", "oral"), step="0.001 h"):
    """Every arm on a fine grid at rtol 1e-10: time, plasma and occupancy (time x compound)."""
    with open(os.path.join(HERE, scenario)) as f:
        text = f.read().replace("rtol = 1e-6", "rtol = 1e-10").replace('step = "0.25 h"',
                                                                          f'step = "{step}"')
    if "[solver]" not in text:
        text = text.replace("[output]", "[solver]\nrtol = 1e-10\n\n[output]")
    with tempfile.TemporaryDirectory() as tmp:
        cfg, out = os.path.join(tmp, "s.toml"), os.path.join(tmp, "s.h5")
        with open(cfg, "w") as f:
            f.write(text)
        subprocess.run([BIN, "run", cfg, "-o", out, "-q"], check=True)
        res = {}
        with h5py.File(out, "r") as h:
            for arm in arms:
                names = [x.decode() if isinstance(x, bytes) else x for x in h[arm]["compound"][()]]
                res[arm] = (h[arm]["time"][()], h[arm]["plasma"][()], h[arm]["occupancy"][()],
                            names)
        return res


def at(t, y, times):
    return np.interp(times, t, y)


def bench():
    """Plasma (ng/mL, 10 % CV) and summed occupancy (sd 0.03) of the benchmark fixture."""
    res = simulate("bench-naltrexone-scenario.toml", ("50mg", "100mg"), "0.01 h")
    rng = np.random.default_rng(7)
    head = "# Synthetic data: tests/data/fit/bench-naltrexone-scenario.toml, make_fixtures.py\n"
    with open(os.path.join(HERE, "bench-plasma.csv"), "w") as f:
        f.write(head + "# naltrexone plasma, 10 % log-normal noise; sd = 10 % of the value\n")
        f.write("time,group,value,sd\nh,,ng/mL,ng/mL\n")
        for arm in ("50mg", "100mg"):
            t, c, _, names = res[arm]
            for ti in (0.5, 1, 2, 4, 8, 12, 24, 48, 72, 96, 144):
                v = np.interp(ti, t, c[:, names.index("naltrexone")]) * 341.41 / 1000 * np.exp(0.1 * rng.standard_normal())
                f.write(f"{ti:g},{arm},{v:.4g},{0.1 * v:.3g}\n")
    with open(os.path.join(HERE, "bench-occupancy.csv"), "w") as f:
        f.write(head + "# naltrexone + 6-beta-naltrexol occupancy, noise sd 0.03 (the fit's sigma)\n")
        f.write("time,group,value\nh,,1\n")
        for arm in ("50mg", "100mg"):
            t, _, o, _ = res[arm]
            for ti in (1, 4, 12, 24, 48, 72, 96, 120, 168):
                v = np.interp(ti, t, o.sum(axis=1)) + 0.03 * rng.standard_normal()  # both compounds
                f.write(f"{ti:g},{arm},{v:.4g}\n")


def main():
    bench()
    res = {k: (t, c[:, 0], o[:, 0]) for k, (t, c, o, _) in simulate().items()}
    rng = np.random.default_rng(20240501)
    header = "# Synthetic data: tests/data/fit/onecpt.toml at its own values, noise from make_fixtures.py\n"
    with open(os.path.join(HERE, "plasma.csv"), "w") as f:
        f.write(header + "# 8 % multiplicative (log-normal) noise; sd = 8 % of the value\n")
        f.write("time,group,value,sd\nh,,ng/mL,ng/mL\n")
        for arm, times in (("iv", [0.25, 0.5, 1, 2, 4, 8, 12, 24]),
                           ("oral", [0.5, 1, 2, 3, 4, 6, 8, 12, 24])):
            t, c, _ = res[arm]
            for ti, ci in zip(times, at(t, c, times)):
                v = ci * MW / 1000 * np.exp(0.08 * rng.standard_normal())
                f.write(f"{ti:g},{arm},{v:.4g},{0.08 * v:.3g}\n")
    with open(os.path.join(HERE, "occupancy.csv"), "w") as f:
        f.write(header + "# oral arm; additive noise of 2 percentage points (sem 2)\n")
        f.write("time,value,sem\nh,%,%\n")
        t, _, o = res["oral"]
        times = [0.5, 1, 2, 4, 6, 8, 12, 24]
        for ti, oi in zip(times, at(t, o, times)):
            f.write(f"{ti:g},{100 * oi + 2 * rng.standard_normal():.3g},2\n")
    # Window statistics, noise-free (the tests fit them exactly).
    t, c, _ = res["oral"]
    i = int(np.argmax(c))
    with open(os.path.join(HERE, "oral-peak.csv"), "w") as f:
        f.write(header + "# peak plasma concentration of the oral arm over the whole run\n")
        f.write(f"group,value,sd\n,ng/mL,ng/mL\noral,{c[i] * MW / 1000:.5g},0.05\n")
    with open(os.path.join(HERE, "oral-tmax.csv"), "w") as f:
        f.write(header + "# time of the oral peak\n")
        f.write(f"group,value,sd\n,min,min\noral,{t[i] * 60:.4g},5\n")
    tiv, civ, _ = res["iv"]
    with open(os.path.join(HERE, "auc-ratio.csv"), "w") as f:
        f.write(header + "# AUC(oral) / AUC(iv) over 0-24 h (2 mg oral, 1 mg IV: about 2 F)\n")
        f.write(f"group,value,sd\n,1,1\noral,{np.trapz(c, t) / np.trapz(civ, tiv):.5g},0.02\n")
    points = np.linspace(4, 24, 51)
    slope = np.polyfit(points, np.log(at(tiv, civ, points)), 1)[0]
    with open(os.path.join(HERE, "iv-half-life.csv"), "w") as f:
        f.write(header + "# apparent half-life of IV plasma, log-linear over 4-24 h\n")
        f.write(f"value,sd\nh,h\n{np.log(2) / -slope:.5g},0.1\n")


if __name__ == "__main__":
    main()
