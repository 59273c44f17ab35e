/* Times the CVODE peer on the three ref-v1 scenarios (docs/reference-model.md) and measures
 * its accuracy against a tight run of itself (rtol 1e-10, atol 1e-14).
 *
 * usage: bench_cvode_ref_v1 [--rtol R] [--atol A] [--repeats N] [--dump PREFIX]
 *                           [--scenario NAME] [--no-reference]
 *   defaults: rtol 1e-6, atol 1e-10, 20 repeats; reports the best wall time of N repeats.
 *   --dump PREFIX writes the tight run of each scenario to PREFIX<scenario>_tight.csv
 *   (columns t, C_H..C_X, th_H..th_X; %.17g) for cross-checks, e.g. with scipy_ref_v1.py.
 *   --scenario runs only that scenario (ref-v1-depot, ...); --no-reference skips the tight
 *   run, so that `--scenario ref-v1-depot --repeats 1 --no-reference` is one whole-process
 *   solve (benchmarks/bench_process.py times it against `morsim run`).
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cvode_ref_v1.h"

static const double TIGHT_RTOL = 1e-10, TIGHT_ATOL = 1e-14;
static const double CONC_FLOOR_NM = 1e-6; /* relative conc. error only above this, per ref-v1 */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
  double *t, *conc, *occ;
} result;

static int alloc_result(result* r, int n) {
  r->t = malloc((size_t)n * sizeof(double));
  r->conc = malloc((size_t)n * 5 * sizeof(double));
  r->occ = malloc((size_t)n * 5 * sizeof(double));
  return (r->t && r->conc && r->occ) ? 0 : 1;
}

static void free_result(result* r) {
  free(r->t);
  free(r->conc);
  free(r->occ);
}

/* Best wall time in seconds over `repeats` solves; the last solve's output and stats stay. */
static double time_solve(ref_v1_scenario s, double rtol, double atol, int repeats, result* r,
                         ref_v1_stats* st, int* rc) {
  double best = INFINITY;
  *rc = 0;
  for (int i = 0; i < repeats; ++i) {
    const double t0 = now_s();
    const int c = ref_v1_cvode_solve(s, rtol, atol, r->t, r->conc, r->occ, st);
    const double dt = now_s() - t0;
    if (c != 0) *rc = c;
    if (dt < best) best = dt;
  }
  return best;
}

static void usage(const char* argv0) {
  fprintf(stderr,
          "usage: %s [--rtol R] [--atol A] [--repeats N] [--dump PREFIX] [--scenario NAME] "
          "[--no-reference]\n",
          argv0);
}

static int dump_csv(const char* prefix, const char* scenario, const result* r, int n) {
  const char* shortname = strrchr(scenario, '-') ? strrchr(scenario, '-') + 1 : scenario;
  char path[4096];
  snprintf(path, sizeof path, "%s%s_tight.csv", prefix, shortname);
  FILE* f = fopen(path, "w");
  if (!f) {
    perror(path);
    return 1;
  }
  fprintf(f, "t_h,C_H,C_M,C_O,C_N,C_X,th_H,th_M,th_O,th_N,th_X\n");
  for (int k = 0; k < n; ++k) {
    fprintf(f, "%.17g", r->t[k]);
    for (int i = 0; i < 5; ++i) fprintf(f, ",%.17g", r->conc[k * 5 + i]);
    for (int i = 0; i < 5; ++i) fprintf(f, ",%.17g", r->occ[k * 5 + i]);
    fputc('\n', f);
  }
  fclose(f);
  printf("wrote %s\n", path);
  return 0;
}

int main(int argc, char** argv) {
  double rtol = 1e-6, atol = 1e-10;
  int repeats = 20;
  const char* dump = NULL;
  const char* only = NULL;
  int reference = 1;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 < argc && strcmp(argv[i], "--rtol") == 0) {
      rtol = atof(argv[++i]);
    } else if (i + 1 < argc && strcmp(argv[i], "--atol") == 0) {
      atol = atof(argv[++i]);
    } else if (i + 1 < argc && strcmp(argv[i], "--repeats") == 0) {
      repeats = atoi(argv[++i]);
    } else if (i + 1 < argc && strcmp(argv[i], "--dump") == 0) {
      dump = argv[++i];
    } else if (i + 1 < argc && strcmp(argv[i], "--scenario") == 0) {
      only = argv[++i];
    } else if (strcmp(argv[i], "--no-reference") == 0) {
      reference = 0;
    } else {
      usage(argv[0]);
      return 2;
    }
  }
  int known = only == NULL;
  for (int si = 0; si < 3 && !known; ++si)
    known = strcmp(only, ref_v1_name((ref_v1_scenario)si)) == 0;
  if (!(rtol > 0.0) || !(atol > 0.0) || repeats < 1 || (dump && !reference) || !known) {
    usage(argv[0]);
    return 2;
  }

  printf("CVODE (SUNDIALS) BDF, dense LU, analytic Jacobian; ref-v1; best of %d\n", repeats);
  printf("run: rtol %g atol %g; reference: rtol %g atol %g (same solver)\n", rtol, atol, TIGHT_RTOL,
         TIGHT_ATOL);
  printf("%-15s %10s %8s %8s %6s %12s %12s %12s\n", "scenario", "ms", "steps", "rhs", "jac",
         "max|docc|", "max rel dC", "tight ms");
  int failed = 0;
  for (int si = 0; si < 3; ++si) {
    const ref_v1_scenario s = (ref_v1_scenario)si;
    if (only && strcmp(only, ref_v1_name(s)) != 0) continue;
    const int n = ref_v1_n_out(s);
    result run, ref;
    if (alloc_result(&run, n) || alloc_result(&ref, n)) {
      fprintf(stderr, "out of memory\n");
      return 1;
    }
    ref_v1_stats st = {0, 0, 0}, st_ref = {0, 0, 0};
    int rc = 0, rc_ref = 0;
    const double best = time_solve(s, rtol, atol, repeats, &run, &st, &rc);
    const int tight_repeats = repeats < 3 ? repeats : 3;
    const double best_ref =
        reference ? time_solve(s, TIGHT_RTOL, TIGHT_ATOL, tight_repeats, &ref, &st_ref, &rc_ref)
                  : NAN;
    if (rc != 0 || rc_ref != 0) {
      fprintf(stderr, "%s: solver failed (%d, %d)\n", ref_v1_name(s), rc, rc_ref);
      failed = 1;
    }
    double max_docc = reference ? 0.0 : NAN, max_rel = reference ? 0.0 : NAN;
    for (int k = 0; reference && k < n * 5; ++k) {
      const double d = fabs(run.occ[k] - ref.occ[k]);
      if (d > max_docc) max_docc = d;
      if (fabs(ref.conc[k]) > CONC_FLOOR_NM) {
        const double rel = fabs(run.conc[k] - ref.conc[k]) / fabs(ref.conc[k]);
        if (rel > max_rel) max_rel = rel;
      }
    }
    printf("%-15s %10.3f %8ld %8ld %6ld %12.3e %12.3e %12.3f\n", ref_v1_name(s), best * 1e3,
           st.steps, st.rhs_evals, st.jac_evals, max_docc, max_rel, best_ref * 1e3);
    if (dump && dump_csv(dump, ref_v1_name(s), &ref, n) != 0) failed = 1;
    free_result(&run);
    free_result(&ref);
  }
  return failed;
}
