#!/usr/bin/python3
"""SciPy peer for the reference problem ref-v1 (docs/reference-model.md).

The same 18-state problem as benchmarks/peers/cvode_ref_v1.c, solved with
scipy.integrate.solve_ivp (LSODA or BDF, analytic Jacobian), restarting the integration at
every dose time and sampling with t_eval on the 0.1 h grid. This is "the peer a user might
pick instead" of morsim. Run it with Debian's interpreter, which has numpy and scipy:

  /usr/bin/python3 benchmarks/peers/scipy_ref_v1.py --scenario depot --method LSODA --time 5
  /usr/bin/python3 benchmarks/peers/scipy_ref_v1.py --scenario oral --rtol 1e-10 --atol 1e-14 \
      --out oral.npz
  /usr/bin/python3 benchmarks/peers/scipy_ref_v1.py --sweep 20 --method LSODA
  /usr/bin/python3 benchmarks/peers/scipy_ref_v1.py --scenario depot --rtol 1e-10 --atol 1e-14 \
      --compare depot_tight.csv      # a CSV written by bench_cvode_ref_v1 --dump

Convention at a dose time (same as the CVODE peer): the output at t = dose time is the state
after the dose.
"""
import argparse
import contextlib
import os
import sys
import time

# LSODA's Fortran warnings go through gfortran's buffered unit 6; make it unbuffered so that
# fortran_stdout_silenced() really hides them (must be set before libgfortran is loaded,
# i.e. before numpy/scipy are imported).
os.environ.setdefault("GFORTRAN_UNBUFFERED_PRECONNECTED", "y")

import numpy as np  # noqa: E402
from scipy.integrate import solve_ivp  # noqa: E402

# ---- ref-v1 parameters (ref-v1, docs/reference-model.md) --------------------------------
# units: h, nmol, L, nM; kon in 1/(nM h)
COMPOUNDS = ("H", "M", "O", "N", "X")
MW = np.array([369.41, 327.37, 285.34, 341.41, 343.42])  # g/mol
V = np.array([140.0, 300.0, 250.0, 1350.0, 1000.0])  # L
K_H, K_M, K_O, K_N, K_X = 13.9, 2.3, 0.28, 0.17, 0.053  # 1/h
F_ORAL, KA_ORAL, FM, FPM = 0.2, 1.2, 0.9, 0.8
F_BURST, KA_BURST, KA_SLOW = 0.05, 0.5, 0.0044
KE0 = np.array([10.0, 6.0, 0.25, 2.0, 0.5])  # 1/h
KON = np.array([12.0, 30.0, 16.7, 6.0, 3.0])  # 1/(nM h)
KOFF = np.array([60.0, 30.0, 20.0, 1.2, 6.0])  # 1/h

# State layout (18): A_H A_M A_O D1 D2 G A_N A_X | Ce_H..Ce_X | th_H..th_X
A_H, A_M, A_O, D1, D2, G, A_N, A_X = range(8)
CE = slice(8, 13)
TH = slice(13, 18)
AMOUNT = np.array([A_H, A_M, A_O, A_N, A_X])  # central amount of each compound
NY = 18
DT_OUT = 0.1

# Linear part of the right-hand side: f = L y + binding(y).
L = np.zeros((NY, NY))
L[A_H, A_H] = -K_H
L[A_M, A_H], L[A_M, A_M] = K_H, -K_M
L[A_O, A_M], L[A_O, A_O] = K_M, -K_O
L[D1, D1] = -KA_BURST
L[D2, D2] = -KA_SLOW
L[G, G] = -KA_ORAL
L[A_N, D1], L[A_N, D2], L[A_N, G], L[A_N, A_N] = KA_BURST, KA_SLOW, F_ORAL * KA_ORAL, -K_N
L[A_X, A_N], L[A_X, G], L[A_X, A_X] = FM * K_N, (1 - F_ORAL) * FPM * KA_ORAL, -K_X
for _i in range(5):
    L[8 + _i, AMOUNT[_i]] = KE0[_i] / V[_i]
    L[8 + _i, 8 + _i] = -KE0[_i]
    L[13 + _i, 13 + _i] = -KOFF[_i]
_CE_IDX = np.arange(8, 13)
_TH_IDX = np.arange(13, 18)


def rhs(t, y):
    f = L @ y
    free = 1.0 - y[TH].sum()
    f[TH] += KON * y[CE] * free
    return f


def jac(t, y):
    J = L.copy()
    free = 1.0 - y[TH].sum()
    J[_TH_IDX, _CE_IDX] += KON * free
    J[TH, TH] -= np.outer(KON * y[CE], np.ones(5))
    return J


# ---- dosing -----------------------------------------------------------------------------
def nmol(mg, compound):
    return mg * 1e6 / MW[COMPOUNDS.index(compound)]


def apply_dose(y, route, mg):
    if route == "iv_heroin":
        y[A_H] += nmol(mg, "H")
    elif route == "oral_ntx":
        y[G] += nmol(mg, "N")
    elif route == "depot_ntx":
        a = nmol(mg, "N")
        y[D1] += F_BURST * a
        y[D2] += (1 - F_BURST) * a
    else:
        raise ValueError(route)


SCENARIOS = {
    "depot": (720.0, [(0.0, "depot_ntx", 380.0)]
              + [(t, "iv_heroin", 25.0) for t in (24.0, 168.0, 336.0, 504.0, 672.0)]),
    "oral": (240.0, [(24.0 * i, "oral_ntx", 50.0) for i in range(7)]
             + [(t, "iv_heroin", 25.0) for t in (26.0, 74.0, 170.0, 218.0)]),
    "control": (72.0, [(24.0, "iv_heroin", 25.0)]),
}


def n_out(t_end, dt=DT_OUT):
    return int(round(t_end / dt)) + 1


def solve_scenario(name, rtol, atol, method, stats=None, first_step=None):
    t_end, doses = SCENARIOS[name]
    t_out = np.arange(n_out(t_end)) / 10.0  # k / 10: dose times on the grid are exact
    y = simulate_segments(doses, t_end, t_out, rtol, atol, method, stats, first_step)
    conc = y[:, AMOUNT] / V
    occ = y[:, TH]
    return t_out, conc, occ


def simulate_segments(doses, t_end, t_out, rtol, atol, method, stats=None, first_step=None):
    """Integrates 0..t_end restarting at each dose, sampling the sorted grid t_out (outputs at
    a dose time are post-dose). Each segment asks solve_ivp for its own outputs plus its end
    point (the state to restart from). Returns an array (len(t_out), 18).

    first_step: initial step of every segment (None = solve_ivp's own choice).

    Note: SciPy's BDF fails ("Required step size is less than spacing between numbers") on
    this problem when atol is much below 1e-9 with a tight rtol: its Newton test is in units
    of atol + rtol|y|, and round-off in the coupled occupancies (~1e-17) of states that sit at
    ~0 never meets it. LSODA (and CVODE) run fine at atol 1e-14."""
    doses = sorted(doses)
    cuts = sorted({d[0] for d in doses if 0.0 < d[0] < t_end})
    bounds = [0.0] + cuts + [t_end]
    y = np.zeros(NY)
    out = np.empty((len(t_out), NY))
    k, di = 0, 0
    for s in range(len(bounds) - 1):
        t0, t1 = bounds[s], bounds[s + 1]
        while di < len(doses) and doses[di][0] <= t0:
            apply_dose(y, doses[di][1], doses[di][2])
            di += 1
        last = s == len(bounds) - 2
        j = k
        while j < len(t_out) and (t_out[j] < t1 or (last and t_out[j] <= t1)):
            j += 1
        te = t_out[k:j]
        need_end = len(te) == 0 or te[-1] != t1
        if need_end:
            te = np.append(te, t1)
        kw = {} if first_step is None else {"first_step": min(first_step, t1 - t0)}
        sol = solve_ivp(rhs, (t0, t1), y, method=method, t_eval=te, rtol=rtol, atol=atol,
                        jac=jac, **kw)
        if not sol.success:
            raise RuntimeError(f"solve_ivp failed on [{t0}, {t1}]: {sol.message}")
        ys = sol.y.T
        out[k:j] = ys[: j - k]
        y = ys[-1].copy()
        if stats is not None:
            stats["nfev"] += sol.nfev
            stats["njev"] += sol.njev
            stats["segments"] += 1
        k = j
    assert k == len(t_out)
    return out


# ---- surmountability sweep ----------------------------------------------------------------
def sweep_metric(dose_mg, day, rtol, atol, method, stats=None, first_step=None):
    """380 mg depot at 0, heroin IV dose_mg at day*24 h, horizon day*24 + 48 h; returns the
    peak total agonist occupancy (H+M+O) on a 0.01 h grid over the 12 h after the dose."""
    td = 24.0 * day
    t_end = td + 48.0
    doses = [(0.0, "depot_ntx", 380.0), (td, "iv_heroin", dose_mg)]
    t_out = td + np.arange(1201) / 100.0
    y = simulate_segments(doses, t_end, t_out, rtol, atol, method, stats, first_step)
    return float(y[:, 13:16].sum(axis=1).max())


def sweep_cases(n, seed=0):
    """n (dose mg, day) pairs of the sweep heroin 1-500 mg x challenge day 1-35: dose
    log-uniform, day uniform, reproducible with the seed."""
    rng = np.random.default_rng(seed)
    u = rng.uniform(size=(n, 2))  # one row per case: the first n cases do not depend on n
    doses = np.exp(np.log(1.0) + u[:, 0] * (np.log(500.0) - np.log(1.0)))
    days = np.minimum(1 + np.floor(u[:, 1] * 35).astype(int), 35)
    return list(zip(doses.tolist(), days.tolist()))


# ---- command line -------------------------------------------------------------------------
@contextlib.contextmanager
def fortran_stdout_silenced(enabled=True):
    """LSODA's Fortran code prints "t + h = t" warnings straight to file descriptor 1 after each
    restart (its first step is tiny when states jump away from 0); hide them while timing."""
    if not enabled:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def compare_csv(path, t, conc, occ):
    ref = np.loadtxt(path, delimiter=",", skiprows=1)
    if ref.shape[0] != len(t) or np.max(np.abs(ref[:, 0] - t)) > 1e-9:
        raise SystemExit(f"{path}: time grid differs")
    rconc, rocc = ref[:, 1:6], ref[:, 6:11]
    docc = np.max(np.abs(occ - rocc))
    mask = np.abs(rconc) > 1e-6
    drel = np.max(np.abs(conc[mask] - rconc[mask]) / np.abs(rconc[mask]))
    return docc, drel


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scenario", choices=["depot", "oral", "control", "all"], default="all")
    p.add_argument("--rtol", type=float, default=1e-6)
    p.add_argument("--atol", type=float, default=1e-10)
    p.add_argument("--method", choices=["LSODA", "BDF", "Radau"], default="LSODA")
    p.add_argument("--out", help="save t, conc (n_out,5), occ (n_out,5) to this .npz "
                   "(single scenario)")
    p.add_argument("--time", type=int, default=0, metavar="N",
                   help="repeat each scenario N times and print the wall time")
    p.add_argument("--sweep", type=int, default=0, metavar="N",
                   help="time N scenarios of the surmountability sweep")
    p.add_argument("--first-step", type=float, default=None, metavar="H",
                   help="initial step (h) of every segment; default: solve_ivp's choice")
    p.add_argument("--seed", type=int, default=0, help="sweep sample seed")
    p.add_argument("--verbose", action="store_true", help="show LSODA's Fortran warnings")
    p.add_argument("--compare", metavar="CSV",
                   help="compare with a CSV from bench_cvode_ref_v1 --dump (single scenario)")
    a = p.parse_args(argv)

    if a.sweep > 0:
        cases = sweep_cases(a.sweep, a.seed)
        stats = {"nfev": 0, "njev": 0, "segments": 0}
        vals, failures = [], []
        with fortran_stdout_silenced(not a.verbose):
            t0 = time.perf_counter()
            for d, day in cases:
                try:
                    vals.append(sweep_metric(d, day, a.rtol, a.atol, a.method, stats,
                                             a.first_step))
                except RuntimeError as e:
                    vals.append(float("nan"))
                    failures.append((d, day, str(e)))
            dt = time.perf_counter() - t0
        print(f"sweep: {a.sweep} scenarios, {a.method} rtol {a.rtol:g} atol {a.atol:g}: "
              f"{dt:.3f} s, {a.sweep / dt:.2f} scenarios/s, "
              f"{stats['nfev'] / a.sweep:.0f} rhs evals/scenario, {len(failures)} failed")
        for d, day, msg in failures[:5]:
            print(f"  FAILED heroin {d:.2f} mg on day {day}: {msg}")
        for (d, day), v in list(zip(cases, vals))[:5]:
            print(f"  heroin {d:7.2f} mg on day {day:2d}: peak agonist occupancy {v:.6f}")
        return 1 if failures else 0

    names = ["depot", "oral", "control"] if a.scenario == "all" else [a.scenario]
    if (a.out or a.compare) and len(names) != 1:
        p.error("--out and --compare need a single --scenario")
    for name in names:
        stats = {"nfev": 0, "njev": 0, "segments": 0}
        with fortran_stdout_silenced(not a.verbose):
            t, conc, occ = solve_scenario(name, a.rtol, a.atol, a.method, stats, a.first_step)
        line = (f"ref-v1-{name}: {a.method} rtol {a.rtol:g} atol {a.atol:g}: "
                f"{len(t)} outputs, {stats['nfev']} rhs, {stats['njev']} jac, "
                f"{stats['segments']} segments")
        if a.time > 0:
            best, total = float("inf"), 0.0
            with fortran_stdout_silenced(not a.verbose):
                for _ in range(a.time):
                    t0 = time.perf_counter()
                    solve_scenario(name, a.rtol, a.atol, a.method, None, a.first_step)
                    dt = time.perf_counter() - t0
                    best, total = min(best, dt), total + dt
            line += f"; wall best {best * 1e3:.1f} ms, mean {total / a.time * 1e3:.1f} ms"
        print(line)
        if a.out:
            np.savez(a.out, t=t, conc=conc, occ=occ, compounds=np.array(COMPOUNDS))
        if a.compare:
            docc, drel = compare_csv(a.compare, t, conc, occ)
            print(f"  vs {a.compare}: max |occ diff| {docc:.3e}, "
                  f"max rel conc diff (conc > 1e-6 nM) {drel:.3e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
