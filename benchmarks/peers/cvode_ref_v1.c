/* CVODE peer solver for ref-v1; see cvode_ref_v1.h.
 *
 * All numbers below are copied from the reference problem ref-v1, docs/reference-model.md
 * (units: h, nmol, L, nM; kon in 1/(nM*h)). Do not change them here without changing the
 * reference.
 */
#include "cvode_ref_v1.h"

#include <cvode/cvode.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stddef.h>
#include <stdlib.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_types.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

/* ---- ref-v1 parameters (ref-v1, docs/reference-model.md) ---------------------------- */

enum { NC = 5, NY = 18 };                        /* compounds H,M,O,N,X; states */
enum { IH = 0, IM = 1, IO = 2, IN = 3, IX = 4 }; /* compound order */
/* State layout: amounts, depot/gut, effect-site concentrations, occupancies. */
enum { A_H = 0, A_M = 1, A_O = 2, D1 = 3, D2 = 4, G = 5, A_N = 6, A_X = 7, CE0 = 8, TH0 = 13 };

static const double MW[NC] = {369.41, 327.37, 285.34, 341.41, 343.42};          /* g/mol */
static const double V[NC] = {140.0, 300.0, 250.0, 1350.0, 1000.0};              /* L */
static const double K_H = 13.9, K_M = 2.3, K_O = 0.28, K_N = 0.17, K_X = 0.053; /* 1/h */
static const double F_ORAL = 0.2, KA_ORAL = 1.2, FM = 0.9, FPM = 0.8;
static const double F_BURST = 0.05, KA_BURST = 0.5, KA_SLOW = 0.0044;
static const double KE0[NC] = {10.0, 6.0, 0.25, 2.0, 0.5};   /* 1/h */
static const double KON[NC] = {12.0, 30.0, 16.7, 6.0, 3.0};  /* 1/(nM h) */
static const double KOFF[NC] = {60.0, 30.0, 20.0, 1.2, 6.0}; /* 1/h */
/* State index of the central amount of each compound. */
static const int AMOUNT_INDEX[NC] = {A_H, A_M, A_O, A_N, A_X};

/* Outputs every 0.1 h: output k is at t = k / 10.0 h (division, so dose times on the grid,
   e.g. k = 240 -> 24.0, are exact). */

/* ---- scenarios ------------------------------------------------------------------------ */

typedef enum { ROUTE_IV_HEROIN, ROUTE_ORAL_NTX, ROUTE_DEPOT_NTX } route;
typedef struct {
  double t_h;
  route r;
  double mg;
} dose;

static const dose DEPOT_DOSES[] = {
    {0.0, ROUTE_DEPOT_NTX, 380.0},  {24.0, ROUTE_IV_HEROIN, 25.0},  {168.0, ROUTE_IV_HEROIN, 25.0},
    {336.0, ROUTE_IV_HEROIN, 25.0}, {504.0, ROUTE_IV_HEROIN, 25.0}, {672.0, ROUTE_IV_HEROIN, 25.0},
};
static const dose ORAL_DOSES[] = {
    {0.0, ROUTE_ORAL_NTX, 50.0},    {24.0, ROUTE_ORAL_NTX, 50.0},   {26.0, ROUTE_IV_HEROIN, 25.0},
    {48.0, ROUTE_ORAL_NTX, 50.0},   {72.0, ROUTE_ORAL_NTX, 50.0},   {74.0, ROUTE_IV_HEROIN, 25.0},
    {96.0, ROUTE_ORAL_NTX, 50.0},   {120.0, ROUTE_ORAL_NTX, 50.0},  {144.0, ROUTE_ORAL_NTX, 50.0},
    {170.0, ROUTE_IV_HEROIN, 25.0}, {218.0, ROUTE_IV_HEROIN, 25.0},
};
static const dose CONTROL_DOSES[] = {{24.0, ROUTE_IV_HEROIN, 25.0}};

typedef struct {
  const char* name;
  double t_end;
  int n_out;
  const dose* doses; /* sorted by time */
  int n_doses;
} scenario_def;

static const scenario_def SCENARIOS[3] = {
    {"ref-v1-depot", 720.0, 7201, DEPOT_DOSES, (int)(sizeof DEPOT_DOSES / sizeof DEPOT_DOSES[0])},
    {"ref-v1-oral", 240.0, 2401, ORAL_DOSES, (int)(sizeof ORAL_DOSES / sizeof ORAL_DOSES[0])},
    {"ref-v1-control", 72.0, 721, CONTROL_DOSES,
     (int)(sizeof CONTROL_DOSES / sizeof CONTROL_DOSES[0])},
};

static const scenario_def* find_scenario(ref_v1_scenario s) {
  if ((int)s < 0 || (int)s > 2) return NULL;
  return &SCENARIOS[(int)s];
}

int ref_v1_n_out(ref_v1_scenario s) {
  const scenario_def* d = find_scenario(s);
  return d ? d->n_out : -1;
}

double ref_v1_t_end(ref_v1_scenario s) {
  const scenario_def* d = find_scenario(s);
  return d ? d->t_end : -1.0;
}

const char* ref_v1_name(ref_v1_scenario s) {
  const scenario_def* d = find_scenario(s);
  return d ? d->name : NULL;
}

/* ---- right-hand side and Jacobian ----------------------------------------------------- */

static int rhs(sunrealtype t, N_Vector yv, N_Vector ydotv, void* user_data) {
  (void)t;
  (void)user_data;
  const sunrealtype* y = N_VGetArrayPointer(yv);
  sunrealtype* f = N_VGetArrayPointer(ydotv);

  f[A_H] = -K_H * y[A_H];
  f[A_M] = K_H * y[A_H] - K_M * y[A_M];
  f[A_O] = K_M * y[A_M] - K_O * y[A_O];
  f[D1] = -KA_BURST * y[D1];
  f[D2] = -KA_SLOW * y[D2];
  f[G] = -KA_ORAL * y[G];
  f[A_N] = KA_BURST * y[D1] + KA_SLOW * y[D2] + F_ORAL * KA_ORAL * y[G] - K_N * y[A_N];
  f[A_X] = FM * K_N * y[A_N] + (1.0 - F_ORAL) * FPM * KA_ORAL * y[G] - K_X * y[A_X];

  double free_r = 1.0;
  for (int i = 0; i < NC; ++i) free_r -= y[TH0 + i];
  for (int i = 0; i < NC; ++i) {
    const double c = y[AMOUNT_INDEX[i]] / V[i];
    f[CE0 + i] = KE0[i] * (c - y[CE0 + i]);
    f[TH0 + i] = KON[i] * y[CE0 + i] * free_r - KOFF[i] * y[TH0 + i];
  }
  return 0;
}

/* J is zeroed by CVODE's dense linear solver interface before this call. */
static int jac(sunrealtype t, N_Vector yv, N_Vector fy, SUNMatrix J, void* user_data, N_Vector tmp1,
               N_Vector tmp2, N_Vector tmp3) {
  (void)t;
  (void)fy;
  (void)user_data;
  (void)tmp1;
  (void)tmp2;
  (void)tmp3;
  const sunrealtype* y = N_VGetArrayPointer(yv);
#define JS(r, c) SM_ELEMENT_D(J, (r), (c))
  JS(A_H, A_H) = -K_H;
  JS(A_M, A_H) = K_H;
  JS(A_M, A_M) = -K_M;
  JS(A_O, A_M) = K_M;
  JS(A_O, A_O) = -K_O;
  JS(D1, D1) = -KA_BURST;
  JS(D2, D2) = -KA_SLOW;
  JS(G, G) = -KA_ORAL;
  JS(A_N, D1) = KA_BURST;
  JS(A_N, D2) = KA_SLOW;
  JS(A_N, G) = F_ORAL * KA_ORAL;
  JS(A_N, A_N) = -K_N;
  JS(A_X, A_N) = FM * K_N;
  JS(A_X, G) = (1.0 - F_ORAL) * FPM * KA_ORAL;
  JS(A_X, A_X) = -K_X;

  double free_r = 1.0;
  for (int i = 0; i < NC; ++i) free_r -= y[TH0 + i];
  for (int i = 0; i < NC; ++i) {
    JS(CE0 + i, AMOUNT_INDEX[i]) = KE0[i] / V[i];
    JS(CE0 + i, CE0 + i) = -KE0[i];
    JS(TH0 + i, CE0 + i) = KON[i] * free_r;
    const double kc = KON[i] * y[CE0 + i];
    for (int j = 0; j < NC; ++j) JS(TH0 + i, TH0 + j) = -kc;
    JS(TH0 + i, TH0 + i) -= KOFF[i];
  }
#undef JS
  return 0;
}

/* ---- solve ----------------------------------------------------------------------------- */

static void apply_dose(sunrealtype* y, const dose* d) {
  switch (d->r) {
    case ROUTE_IV_HEROIN:
      y[A_H] += d->mg * 1e6 / MW[IH];
      break;
    case ROUTE_ORAL_NTX:
      y[G] += d->mg * 1e6 / MW[IN];
      break;
    case ROUTE_DEPOT_NTX: {
      const double nmol = d->mg * 1e6 / MW[IN];
      y[D1] += F_BURST * nmol;
      y[D2] += (1.0 - F_BURST) * nmol;
      break;
    }
  }
}

static void record(const sunrealtype* y, int k, double tk, double* t, double* conc, double* occ) {
  t[k] = tk;
  for (int i = 0; i < NC; ++i) {
    conc[k * NC + i] = y[AMOUNT_INDEX[i]] / V[i];
    occ[k * NC + i] = y[TH0 + i];
  }
}

static int add_counters(void* mem, ref_v1_stats* acc) {
  long nst = 0, nfe = 0, nje = 0, nfel = 0;
  if (CVodeGetNumSteps(mem, &nst) != CV_SUCCESS) return -1;
  if (CVodeGetNumRhsEvals(mem, &nfe) != CV_SUCCESS) return -1;
  if (CVodeGetNumJacEvals(mem, &nje) != CVLS_SUCCESS) return -1;
  if (CVodeGetNumLinRhsEvals(mem, &nfel) != CVLS_SUCCESS) return -1;
  acc->steps += nst;
  acc->rhs_evals += nfe + nfel;
  acc->jac_evals += nje;
  return 0;
}

int ref_v1_cvode_solve(ref_v1_scenario s, double rtol, double atol, double* t, double* conc,
                       double* occ, ref_v1_stats* stats) {
  const scenario_def* sc = find_scenario(s);
  if (!sc || !t || !conc || !occ || !(rtol > 0.0) || !(atol > 0.0)) return 1;

  SUNContext ctx = NULL;
  N_Vector y = NULL;
  SUNMatrix A = NULL;
  SUNLinearSolver LS = NULL;
  void* mem = NULL;
  sunrealtype* yd = NULL;
  int status = 2;
  ref_v1_stats acc = {0, 0, 0};

  if (SUNContext_Create(NULL, &ctx) != 0) return 2;
  y = N_VNew_Serial(NY, ctx);
  if (!y) goto done;
  N_VConst(0.0, y);
  yd = N_VGetArrayPointer(y);
  A = SUNDenseMatrix(NY, NY, ctx);
  if (!A) goto done;
  LS = SUNLinSol_Dense(y, A, ctx);
  if (!LS) goto done;
  mem = CVodeCreate(CV_BDF, ctx);
  if (!mem) goto done;
  if (CVodeInit(mem, rhs, 0.0, y) != CV_SUCCESS) goto done;
  if (CVodeSStolerances(mem, rtol, atol) != CV_SUCCESS) goto done;
  if (CVodeSetLinearSolver(mem, LS, A) != CVLS_SUCCESS) goto done;
  if (CVodeSetJacFn(mem, jac) != CVLS_SUCCESS) goto done;
  /* Outputs are 0.1 h apart, so the default 500 steps per CVode call is ample for any sane
     tolerance; raise it so that very tight reference runs never stop on it. */
  if (CVodeSetMaxNumSteps(mem, 1000000L) != CV_SUCCESS) goto done;
  /* After each restart CVODE's first step is bounded so that no component moves by more than
     10% + atol; components jumping away from 0 (A_N after a depot dose, A_X after an oral one)
     then give a first step near one ulp of t, which CVODE reports as "t + h = t". Harmless
     (the step size grows tenfold per step); silence the warning. */
  if (CVodeSetMaxHnilWarns(mem, -1) != CV_SUCCESS) goto done;

  const int n_out = sc->n_out;
  int k = 0;       /* next output index */
  int di = 0;      /* next dose index */
  double t0 = 0.0; /* start of the current segment */
  int first = 1;
  for (;;) {
    /* Apply every dose at t0 (exact time match: doses are on the scenario's own times). */
    while (di < sc->n_doses && sc->doses[di].t_h <= t0) apply_dose(yd, &sc->doses[di++]);
    const int last = (di >= sc->n_doses);
    const double t1 = last ? sc->t_end : sc->doses[di].t_h;

    /* Restart at t0 from the post-dose state (CVodeReInit resets CVODE's counters, so add
       the previous segment's first). */
    if (!first && add_counters(mem, &acc) != 0) goto done;
    first = 0;
    if (CVodeReInit(mem, t0, y) != CV_SUCCESS) goto done;
    if (CVodeSetStopTime(mem, t1) != CV_SUCCESS) goto done;

    /* Output exactly at t0: the post-dose state. */
    if (k < n_out && fabs((double)k / 10.0 - t0) <= 1e-9 * (1.0 + t0)) {
      record(yd, k, (double)k / 10.0, t, conc, occ);
      ++k;
    }
    /* Outputs strictly inside (t0, t1) (and at t1 on the last segment) by interpolation. */
    sunrealtype tret = t0;
    while (k < n_out) {
      const double tk = (double)k / 10.0;
      const int at_end = fabs(tk - t1) <= 1e-9 * (1.0 + t1);
      if (tk > t1 && !at_end) break;
      if (at_end && !last) break; /* recorded after the jump at the start of the next segment */
      const double tout = at_end ? t1 : tk;
      const int flag = CVode(mem, tout, y, &tret, CV_NORMAL);
      if (flag < 0) goto done;
      record(yd, k, tk, t, conc, occ);
      ++k;
    }
    if (last) break;
    /* Reach the dose time exactly (CVODE stops at tstop). */
    if (tret < t1) {
      const int flag = CVode(mem, t1, y, &tret, CV_NORMAL);
      if (flag < 0) goto done;
    }
    t0 = t1;
  }
  if (add_counters(mem, &acc) != 0) goto done;
  status = (k == n_out) ? 0 : 3;

done:
  if (stats) *stats = acc;
  if (mem) CVodeFree(&mem);
  if (LS) SUNLinSolFree(LS);
  if (A) SUNMatDestroy(A);
  if (y) N_VDestroy(y);
  if (ctx) SUNContext_Free(&ctx);
  return status;
}
