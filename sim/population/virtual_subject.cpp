// Drawing and simulating one virtual patient.
#include "population/virtual_subject.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/errors.hpp"
#include "model/metabolite_graph.hpp"
#include "population/random_stream.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim::population {

namespace {

constexpr int kMaxRedraws = 1000;  // truncated draws: give up (and clamp) after this many
constexpr double kHoursPerWeek = 168.0;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

double truncated_draw(const Distribution& d, double typical, RandomStream& rng) {
  double v = d.value(rng.standard_normal(), typical);
  for (int k = 0; k < kMaxRedraws && (v < d.min || v > d.max); ++k)
    v = d.value(rng.standard_normal(), typical);
  return std::clamp(v, d.min, d.max);
}

// Allometry: clearances (elimination and intercompartmental) scale with WT^a, volumes with
// WT^b, so every micro-constant CL/V scales with WT^(a-b).
void scale_by_weight(const WeightCovariate& w, double weight_kg, ScenarioSpec& spec) {
  const double r = weight_kg / w.reference_kg;
  const double s_v = std::pow(r, w.volume_exponent);
  const double s_k = std::pow(r, w.clearance_exponent) / s_v;
  for (std::size_t c : w.compounds) {
    Compound& cp = spec.compounds[c];
    cp.central_volume_L *= s_v;
    cp.k_elim_per_h *= s_k;
    for (PeripheralCompartment& p : cp.peripherals) {
      p.k_out_per_h *= s_k;
      p.k_in_per_h *= s_k;
    }
  }
}

}  // namespace

ParameterSampler::ParameterSampler(const PopulationSpec& ps) : ps_(&ps) {
  const Eigen::Index n = static_cast<Eigen::Index>(ps.variability.size());
  Eigen::MatrixXd corr = Eigen::MatrixXd::Identity(n, n);
  for (Eigen::Index i = 0; i < n && !ps.correlation.empty(); ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      corr(i, j) = ps.correlation[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  Eigen::LLT<Eigen::MatrixXd> llt(corr);
  if (llt.info() != Eigen::Success)
    throw ConfigError(ps.path, 0, "correlation.matrix", "not positive definite");
  chol_ = llt.matrixL();
}

ScenarioSpec ParameterSampler::individual(std::uint64_t subject, SubjectParameters& drawn) const {
  const PopulationSpec& ps = *ps_;
  ScenarioSpec spec = ps.scenario;
  RandomStream rng(ps.seed, StreamPurpose::kParameters, 0, subject);
  drawn.weight_kg = kNaN;
  if (ps.weight.enabled) {
    drawn.weight_kg = truncated_draw(ps.weight.dist, ps.weight.reference_kg, rng);
    scale_by_weight(ps.weight, drawn.weight_kg, spec);
  }
  const std::size_t n = ps.variability.size();
  drawn.values.assign(n, 0.0);
  if (n == 0) return spec;
  // Typical values for this weight, all read before any is set (clearance is k_elim x V).
  std::vector<double> typical(n);
  for (std::size_t i = 0; i < n; ++i) typical[i] = ps.variability[i].target.get(spec);
  Eigen::VectorXd z(static_cast<Eigen::Index>(n));
  bool inside = false;
  for (int attempt = 0; attempt < kMaxRedraws && !inside; ++attempt) {
    for (Eigen::Index i = 0; i < z.size(); ++i) z[i] = rng.standard_normal();
    const Eigen::VectorXd y = chol_ * z;
    inside = true;
    for (std::size_t i = 0; i < n; ++i) {
      const Distribution& d = ps.variability[i].dist;
      drawn.values[i] = d.value(y[static_cast<Eigen::Index>(i)], typical[i]);
      inside = inside && drawn.values[i] >= d.min && drawn.values[i] <= d.max;
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    drawn.values[i] =
        std::clamp(drawn.values[i], ps.variability[i].dist.min, ps.variability[i].dist.max);
  for (int order = 0; order < SettablePath::kApplyOrders; ++order)
    for (std::size_t i = 0; i < n; ++i)
      if (ps.variability[i].target.apply_order() == order)
        ps.variability[i].target.set(spec, drawn.values[i]);
  return spec;
}

Arm individual_arm(const PopulationSpec& ps, std::size_t arm_index, std::uint64_t subject) {
  Arm arm = ps.scenario.arms[arm_index];
  for (const AdherenceModel& a : ps.adherence) {
    if (a.arm != arm_index) continue;
    RandomStream rng(ps.seed, StreamPurpose::kAdherence, arm_index, subject);
    double stop_h = a.stop_h;
    if (a.dropout_per_week > 0)
      stop_h = std::min(
          stop_h, ps.scenario.grid.t_start_h + rng.exponential(kHoursPerWeek / a.dropout_per_week));
    bool took_previous = true;  // the Markov chain starts adherent
    for (DoseRecord& r : arm.doses) {
      if (r.formulation != a.formulation) continue;
      for (int i = 0; i <= r.addl; ++i) {
        const double t = r.time_h + i * r.ii_h;
        bool taken;
        if (t >= stop_h)
          taken = false;
        else if (!a.markov)
          taken = rng.bernoulli(a.p_take);
        else if (took_previous)
          taken = rng.bernoulli(a.p_stay_adherent);
        else
          taken = !rng.bernoulli(a.p_stay_lapse);
        if (t < stop_h) took_previous = taken;
        const bool already_missed =
            std::find(r.missed.begin(), r.missed.end(), i) != r.missed.end();
        if (!taken && !already_missed) r.missed.push_back(i);
        if (taken && a.late_probability > 0 && rng.bernoulli(a.late_probability))
          r.delays.push_back({i, std::min(rng.exponential(a.late_mean_h), a.late_max_h)});
      }
    }
  }
  if (!ps.heroin.random) return arm;
  // Random heroin use: the subject's own uses, identical in every arm.
  arm.doses.erase(std::remove_if(arm.doses.begin(), arm.doses.end(),
                                 [&](const DoseRecord& r) {
                                   const Formulation* f =
                                       ps.scenario.find_formulation(r.formulation);
                                   return f && produces_agonist(ps.scenario, f->compound);
                                 }),
                  arm.doses.end());
  const HeroinUse& h = ps.heroin;
  if (h.uses_per_week <= 0) return arm;
  RandomStream rng(ps.seed, StreamPurpose::kHeroinUse, 0, subject);
  const double mean_gap_h = kHoursPerWeek / h.uses_per_week;
  for (double t = h.start_h + rng.exponential(mean_gap_h); t < h.end_h;
       t += rng.exponential(mean_gap_h)) {
    DoseRecord d;
    d.formulation = ps.scenario.formulations[h.formulation].name;
    d.time_h = t;
    d.amount_mg = truncated_draw(h.amount_mg, h.amount_mg.center, rng);
    arm.doses.push_back(d);
  }
  return arm;
}

void prune_formulations(ScenarioSpec& spec, const Arm& arm) {
  spec.formulations.erase(std::remove_if(spec.formulations.begin(), spec.formulations.end(),
                                         [&](const Formulation& f) {
                                           return std::none_of(arm.doses.begin(), arm.doses.end(),
                                                               [&](const DoseRecord& d) {
                                                                 return d.formulation == f.name;
                                                               });
                                         }),
                          spec.formulations.end());
}

SubjectInArm subject_in_arm(const PopulationSpec& ps, const ParameterSampler& sampler,
                            std::size_t arm, std::uint64_t subject, SubjectParameters& drawn) {
  SubjectInArm s{sampler.individual(subject, drawn), individual_arm(ps, arm, subject)};
  prune_formulations(s.spec, s.arm);
  return s;
}

std::vector<double> band_times(const PopulationSpec& ps) {
  std::vector<double> t;
  const OutputGrid& g = ps.scenario.grid;
  const double span = g.t_end_h - g.t_start_h;
  const auto n = static_cast<long>(std::floor(span / ps.band_step_h * (1 + 1e-12)));
  for (long i = 0; i <= n; ++i) t.push_back(g.t_start_h + static_cast<double>(i) * ps.band_step_h);
  return t;
}

SubjectOutcome simulate_subject(const PopulationSpec& ps, const ScenarioSpec& individual,
                                const Arm& arm, const std::vector<double>& band_t_h,
                                float* antagonist_row, float* agonist_row) {
  // Samples: the band grid, plus a fine grid after each agonist dose for its peak.
  const ExpandedSchedule schedule = expand_schedule(individual, arm);
  std::vector<double> uses_h;
  std::vector<double> t = band_t_h;
  for (const DoseLogEntry& e : schedule.log) {
    if (e.status == DoseStatus::kMissed || !produces_agonist(individual, e.compound)) continue;
    if (e.applied_time_h > individual.grid.t_end_h) continue;
    uses_h.push_back(e.applied_time_h);
    for (double s = 0.0; s <= ps.peak_window_h + 1e-12; s += ps.peak_step_h)
      if (e.applied_time_h + s <= individual.grid.t_end_h) t.push_back(e.applied_time_h + s);
  }
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());

  ArmSimulator sim(individual);
  const Trajectory tr = sim.simulate(arm, t);

  SubjectOutcome out;
  // Band rows: the band grid is a subset of t, both sorted.
  std::size_t j = 0;
  const std::size_t nb = band_t_h.size();
  std::vector<double> antagonist(nb);
  for (std::size_t i = 0; i < tr.n_times() && j < nb; ++i)
    if (tr.t_h[i] == band_t_h[j]) {
      antagonist[j] = tr.antagonist_occupancy(i);
      antagonist_row[j] = static_cast<float>(antagonist[j]);
      agonist_row[j] = static_cast<float>(tr.agonist_occupancy(i));
      ++j;
    }
  if (j != nb) throw SolverError("population: band samples missing from the simulation");

  // Protected days: whole days from the start whose every band sample is blocked.
  const double t0 = individual.grid.t_start_h;
  const auto days = static_cast<std::size_t>(std::floor((individual.grid.t_end_h - t0) / 24.0));
  std::vector<char> blocked(days, 1);
  for (std::size_t i = 0; i < nb; ++i) {
    const auto d = static_cast<std::size_t>(std::floor((band_t_h[i] - t0) / 24.0));
    if (d < days && antagonist[i] < ps.blocked_occupancy) blocked[d] = 0;
  }
  out.protected_day_fraction =
      days == 0 ? kNaN
                : static_cast<double>(std::count(blocked.begin(), blocked.end(), 1)) /
                      static_cast<double>(days);

  // Antagonist doses taken (the doses of compounds that produce no agonist).
  int planned = 0, taken = 0;
  for (const DoseLogEntry& e : schedule.log)
    if (!produces_agonist(individual, e.compound)) {
      ++planned;
      taken += e.status != DoseStatus::kMissed;
    }
  out.doses_taken_fraction = planned == 0 ? kNaN : static_cast<double>(taken) / planned;

  // Heroin uses: the peak effect in [use, min(use + window, next use)).
  out.first_unblocked_use_h = kNaN;
  out.heroin_uses = static_cast<std::int32_t>(uses_h.size());
  std::sort(uses_h.begin(), uses_h.end());
  std::size_t i = 0;
  for (std::size_t u = 0; u < uses_h.size(); ++u) {
    double end = uses_h[u] + ps.peak_window_h;
    if (u + 1 < uses_h.size()) end = std::min(end, uses_h[u + 1]);
    while (i < tr.n_times() && tr.t_h[i] < uses_h[u]) ++i;
    double peak = 0.0;
    for (std::size_t k = i; k < tr.n_times() && (tr.t_h[k] < end || k == i); ++k)
      peak = std::max(peak, tr.effect[k]);
    if (peak >= ps.rewarding_effect) {
      ++out.rewarding_uses;
      if (std::isnan(out.first_unblocked_use_h)) out.first_unblocked_use_h = uses_h[u];
    }
  }
  return out;
}

}  // namespace morsim::population
