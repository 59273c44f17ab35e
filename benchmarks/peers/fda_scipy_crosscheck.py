#!/usr/bin/python3
"""Independent check of morsim's FDA opioid-overdose scenarios (configs/crosscheck/fda-*.toml).

The PK and binding part of Mann et al. 2022 (Clin Pharmacol Ther 112:1020; code GitHub
FDA/Mechanistic-PK-PD-Model-to-Rescue-Opioid-Overdose, Figure_7/ and, for IV naloxone, branch
Intranasal_Naloxone_Repeat_Dosing_and_Fentanyl_Overdose) is written here directly from the
paper's formulation, with none of morsim's code or model files: bioavailability F is applied as
the IM depot empties (dT1/dt = F ktr D - ktr T1), kon is converted from the code's pM^-n/s, and
the ODEs are solved with scipy's solve_ivp (Radau or LSODA, rtol 1e-10), restarting at every
dose. Each scenario is then run through morsim (`morsim run <config> -o <file>`) and the HDF5
output compared on morsim's own time grid (the output at a dose time is the state after it):

  max |occupancy difference| over time and ligands, and
  max relative plasma difference |p_morsim - p_scipy| / max(|p_scipy|, 1e-6 x the compound's peak).

Run with Debian's interpreter (numpy, scipy, h5py):

  /usr/bin/python3 benchmarks/peers/fda_scipy_crosscheck.py --morsim build/bin/morsim
  /usr/bin/python3 benchmarks/peers/fda_scipy_crosscheck.py --morsim build/bin/morsim b d

Exit status 1 when a scenario exceeds --occ-tol (default 1e-4) or --plasma-tol (1e-3).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
from scipy.integrate import solve_ivp

H = 3600.0  # s per h


def kon_nM_h(a_pM_s, n):
    """kon of the code (per pM^n per second) in per nM^n per hour: A * 3600 * 1000^n."""
    return a_pM_s * H * 1000.0 ** n


# ---- parameters (Mann 2022, file and line of the published code) ----
# Opioids: 3-compartment micro-constants (/s in the code), V1, ke0, kon/koff/n, MW.
OPIOIDS = {
    "fentanyl": dict(  # Figure_7/simulateToGetOD_IM.R l.146-151, delaypars.R l.63
        V1=10.5, k10=0.002 * H, k12=0.0032 * H, k21=0.0023 * H, k13=0.0036 * H,
        k31=0.00023 * H, ke0=0.003 * H, MW=336.4,
        kon=kon_nM_h(3.08e-5, 0.8439), koff=0.004331 * H, n=0.8439),
    "carfentanil": dict(  # Figure_7/simulateToGetOD_IM.R l.156-182
        V1=10.5, k10=2e-4 * H, k12=0.0032 * H, k21=0.023 * H, k13=3.6e-4 * H,
        k31=0.0023 * H, ke0=10.0 / 60.0 * H, MW=394.5,
        kon=kon_nM_h(9.95e-6, 1.025), koff=2.47e-4 * H, n=1.025),
}
# Naloxone binding and brain link (simulateToGetOD_IM.R l.150, delaypars.R l.8), MW (delaymymod.c l.590).
NLX = dict(ke0=0.001774 * H, kon=kon_nM_h(1.67e-4, 0.858), koff=0.03959 * H, n=0.858, MW=327.27)
# IM: simulateToGetOD_IM.R l.146, l.150-151 (mL/s -> L/h: x 3.6).
NLX_IM = dict(F=0.6257, ktr=0.005121 * H, ka=0.005164 * H, CL=32.03e-3 * H, V1=156.5,
              Q=524.6e-3 * H, V2=320.0)
# IV: naloxoneIVPK.R l.4-9 of the IV branch.
NLX_IV = dict(V1=34.44, k10=0.001858304 * H, k12=0.001901858 * H, k21=0.000933713 * H,
              k13=0.000445219 * H, k31=0.000186719 * H)

FEN_DOSE_MG, CAR_DOSE_MG, NLX_DOSE_MG = 1.625, 0.012, 2.0
T_B, T_D = 76.5635066 / H, 184.2662113 / H  # naloxone times of the published runs (h)

# scenario id -> (opioid or None, naloxone route or None, naloxone time h, config file)
SCENARIOS = {
    "a": ("fentanyl", None, 0.0, "fda-a-fentanyl.toml"),
    "b": ("fentanyl", "im", T_B, "fda-b-fentanyl-naloxone-im.toml"),
    "c": (None, "im", 0.0, "fda-c-naloxone-im.toml"),
    "d0": ("carfentanil", None, 0.0, "fda-d0-carfentanil.toml"),
    "d": ("carfentanil", "im", T_D, "fda-d-carfentanil-naloxone-im.toml"),
    "e": (None, "iv", 0.0, "fda-e-naloxone-iv.toml"),
    "f": ("fentanyl", "iv", T_B, "fda-f-fentanyl-naloxone-iv.toml"),
}
NLX_NAME = {"im": "naloxone-im", "iv": "naloxone-iv"}

# State: opioid A1 A2 A3 Ce_o | IM D T1 T2 Ac Ap | IV B1 B2 B3 | Ce_n | RO RN
(A1, A2, A3, CEO, D, T1, T2, AC, AP, B1, B2, B3, CEN, RO, RN) = range(15)


def make_rhs(opioid, route):
    o = OPIOIDS[opioid] if opioid else None
    im, iv, nx = NLX_IM, NLX_IV, NLX

    def rhs(_t, y):
        dy = np.zeros_like(y)
        if o:
            dy[A1] = -(o["k10"] + o["k12"] + o["k13"]) * y[A1] + o["k21"] * y[A2] + o["k31"] * y[A3]
            dy[A2] = o["k12"] * y[A1] - o["k21"] * y[A2]
            dy[A3] = o["k13"] * y[A1] - o["k31"] * y[A3]
            dy[CEO] = o["ke0"] * (y[A1] / o["V1"] - y[CEO])
        if route == "im":
            dy[D] = -im["ktr"] * y[D]
            dy[T1] = im["F"] * im["ktr"] * y[D] - im["ktr"] * y[T1]
            dy[T2] = im["ktr"] * y[T1] - im["ka"] * y[T2]
            dy[AC] = (im["ka"] * y[T2] - im["CL"] / im["V1"] * y[AC]
                      - im["Q"] * (y[AC] / im["V1"] - y[AP] / im["V2"]))
            dy[AP] = im["Q"] * (y[AC] / im["V1"] - y[AP] / im["V2"])
            cp_n = y[AC] / im["V1"]
        elif route == "iv":
            dy[B1] = -(iv["k10"] + iv["k12"] + iv["k13"]) * y[B1] + iv["k21"] * y[B2] + iv["k31"] * y[B3]
            dy[B2] = iv["k12"] * y[B1] - iv["k21"] * y[B2]
            dy[B3] = iv["k13"] * y[B1] - iv["k31"] * y[B3]
            cp_n = y[B1] / iv["V1"]
        if route:
            dy[CEN] = nx["ke0"] * (cp_n - y[CEN])
        free = 1.0 - y[RO] - y[RN]
        if o:
            dy[RO] = o["kon"] * free * max(y[CEO], 0.0) ** o["n"] - o["koff"] * y[RO]
        if route:
            dy[RN] = nx["kon"] * free * max(y[CEN], 0.0) ** nx["n"] - nx["koff"] * y[RN]
        return dy

    return rhs


def doses(opioid, route, t_nlx):
    """(time h, state index, nmol) boluses; IV naloxone as 101 x dose/100 every 0.1 s."""
    out = []
    if opioid:
        mg = FEN_DOSE_MG if opioid == "fentanyl" else CAR_DOSE_MG
        out.append((0.0, A1, mg * 1e6 / OPIOIDS[opioid]["MW"]))
    if route == "im":
        out.append((t_nlx, D, NLX_DOSE_MG * 1e6 / NLX["MW"]))
    elif route == "iv":
        for i in range(101):
            out.append((t_nlx + i * 0.1 / H, B1, NLX_DOSE_MG / 100 * 1e6 / NLX["MW"]))
    return sorted(out)


def solve(scenario, t_eval, method="Radau", rtol=1e-10, atol=1e-14):
    """Plasma (T, 2) nM and occupancy (T, 2) for [opioid, naloxone] on the times t_eval (h)."""
    opioid, route, t_nlx, _ = SCENARIOS[scenario]
    rhs = make_rhs(opioid, route)
    events = doses(opioid, route, t_nlx)
    y = np.zeros(15)
    ys = np.zeros((len(t_eval), 15))
    t_end = t_eval[-1]
    times = sorted({t for t, _, _ in events} | {0.0})
    for j, t0 in enumerate(times):
        for t, idx, amt in events:
            if t == t0:
                y[idx] += amt
        t1 = times[j + 1] if j + 1 < len(times) else t_end
        last = j + 1 == len(times)
        mask = (t_eval >= t0) & ((t_eval <= t1) if last else (t_eval < t1))
        if t1 <= t0:
            ys[mask] = y
            continue
        seg = t_eval[mask]
        if seg.size == 0 or seg[-1] != t1:
            seg = np.append(seg, t1)  # the segment's end, to carry the state on
        sol = solve_ivp(rhs, (t0, t1), y, method=method, rtol=rtol, atol=atol, t_eval=seg)
        if not sol.success:
            raise RuntimeError(f"solve_ivp failed in scenario {scenario}: {sol.message}")
        ys[mask] = sol.y[:, :int(mask.sum())].T
        y = sol.y[:, -1].copy()
    plasma = np.zeros((len(t_eval), 2))
    occ = np.zeros((len(t_eval), 2))
    if opioid:
        plasma[:, 0] = ys[:, A1] / OPIOIDS[opioid]["V1"]
        occ[:, 0] = ys[:, RO]
    if route == "im":
        plasma[:, 1] = ys[:, AC] / NLX_IM["V1"]
    elif route == "iv":
        plasma[:, 1] = ys[:, B1] / NLX_IV["V1"]
    if route:
        occ[:, 1] = ys[:, RN]
    return plasma, occ


def read_morsim(path):
    """The single arm of a morsim results file: time h, compound names, plasma, occupancy."""
    with h5py.File(path, "r") as f:
        arms = [k for k in f.keys() if isinstance(f[k], h5py.Group)]
        if len(arms) != 1:
            raise ValueError(f"{path}: expected one arm, found {arms}")
        g = f[arms[0]]
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in g["compound"][()]]
        return g["time"][()], names, g["plasma"][()], g["occupancy"][()]


def compare(scenario, morsim_bin, source_dir, workdir, method="Radau"):
    opioid, route, _, config = SCENARIOS[scenario]
    out = os.path.join(workdir, f"fda-{scenario}.h5")
    cfg = os.path.join(source_dir, "configs", "crosscheck", config)
    run = subprocess.run([morsim_bin, "run", cfg, "-o", out, "--force"], capture_output=True,
                         text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError(f"morsim run {cfg} failed ({run.returncode}):\n{run.stderr}")
    t, names, plasma_m, occ_m = read_morsim(out)
    plasma_s, occ_s = solve(scenario, t, method=method)
    occ_diff, plasma_rel = 0.0, 0.0
    for col, name in ((0, opioid), (1, NLX_NAME.get(route))):
        if not name:
            continue
        k = names.index(name)
        occ_diff = max(occ_diff, float(np.max(np.abs(occ_m[:, k] - occ_s[:, col]))))
        ref = plasma_s[:, col]
        floor = 1e-6 * float(np.max(np.abs(ref)))
        rel = np.abs(plasma_m[:, k] - ref) / np.maximum(np.abs(ref), floor)
        plasma_rel = max(plasma_rel, float(np.max(rel)))
    others = [n for n in names if n not in (opioid, NLX_NAME.get(route))]
    for n in others:  # compounds in the model but not dosed stay at zero
        k = names.index(n)
        occ_diff = max(occ_diff, float(np.max(np.abs(occ_m[:, k]))))
    return occ_diff, plasma_rel, len(t)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("scenarios", nargs="*", default=list(SCENARIOS), help="ids: a b c d0 d e f")
    p.add_argument("--morsim", default=os.environ.get("MORSIM_BIN", "build/bin/morsim"))
    p.add_argument("--source-dir", default=os.environ.get(
        "MORSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))))
    p.add_argument("--method", default="Radau", choices=["Radau", "LSODA", "BDF"])
    p.add_argument("--occ-tol", type=float, default=1e-4)
    p.add_argument("--plasma-tol", type=float, default=1e-3)
    a = p.parse_args(argv)
    bad = 0
    with tempfile.TemporaryDirectory() as work:
        print(f"{'scenario':>8} {'samples':>7} {'max|d occ|':>12} {'max rel d plasma':>17}")
        for s in a.scenarios:
            if s not in SCENARIOS:
                p.error(f"unknown scenario '{s}' (allowed: {', '.join(SCENARIOS)})")
            occ, rel, n = compare(s, a.morsim, a.source_dir, work, a.method)
            ok = occ <= a.occ_tol and rel <= a.plasma_tol
            bad += not ok
            print(f"{s:>8} {n:>7} {occ:12.3e} {rel:17.3e}  {'ok' if ok else 'FAIL'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
