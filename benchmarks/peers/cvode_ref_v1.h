/* CVODE peer solver for the reference problem ref-v1 (docs/reference-model.md).
 *
 * An independent, expert implementation of ref-v1 with SUNDIALS CVODE (BDF, dense LU,
 * analytic Jacobian), used to check morsim's accuracy and to compare its speed.
 * Integration restarts exactly at each dose time (CVodeReInit after the jump); CVode never
 * steps across a dose (CVodeSetStopTime at the next dose); outputs every 0.1 h come from
 * CVODE's own interpolation (CV_NORMAL to each output time).
 *
 * Convention at a dose time: the output at t = dose time is the state AFTER the dose is
 * applied (right-continuous), e.g. plasma heroin at t = 24 h in ref-v1-control is
 * 25e6/369.41/140 nM, not 0.
 *
 * C11; usable from C++.
 */
#ifndef MORSIM_BENCHMARKS_PEERS_CVODE_REF_V1_H
#define MORSIM_BENCHMARKS_PEERS_CVODE_REF_V1_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { REF_V1_DEPOT = 0, REF_V1_ORAL = 1, REF_V1_CONTROL = 2 } ref_v1_scenario;

/* Solver work summed over all integration segments. */
typedef struct {
  long steps, rhs_evals, jac_evals;
} ref_v1_stats;

/* Number of outputs of a scenario: t_end/0.1 + 1 (7201 for depot, 2401 oral, 721 control).
 * Returns -1 for an unknown scenario. */
int ref_v1_n_out(ref_v1_scenario s);

/* End time of a scenario in h (720, 240, 72); negative for an unknown scenario. */
double ref_v1_t_end(ref_v1_scenario s);

/* Short name of a scenario ("ref-v1-depot", ...); NULL for an unknown scenario. */
const char* ref_v1_name(ref_v1_scenario s);

/* Solves scenario s with relative tolerance rtol and scalar absolute tolerance atol.
 * Fills t[n_out] (h), conc[n_out*5] (plasma nM of H,M,O,N,X, row-major: conc[k*5 + i]) and
 * occ[n_out*5] (fractional occupancy theta of H,M,O,N,X). stats may be NULL.
 * Returns 0 on success, nonzero on failure (bad arguments or a CVODE error). */
int ref_v1_cvode_solve(ref_v1_scenario s, double rtol, double atol, double* t, double* conc,
                       double* occ, ref_v1_stats* stats);

#ifdef __cplusplus
}
#endif

#endif /* MORSIM_BENCHMARKS_PEERS_CVODE_REF_V1_H */
