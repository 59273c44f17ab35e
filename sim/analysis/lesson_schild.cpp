// Schild analysis by simulation: occupancy is read from runs of the model, not from the
// Gaddum formula, so the lesson shows that the model's competition behaves as theory says.
#include "analysis/lesson_schild.hpp"

#include <cmath>
#include <limits>

#include "io/h5_handle.hpp"
#include "io/h5_write.hpp"
#include "model/errors.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim {
namespace {

constexpr int kStepsPerDecade = 8;
constexpr double kDecadesBelow = 3.0, kDecadesAbove = 4.0;  // around the configured rate

const Compound* dosed_compound(const ScenarioSpec& spec, const DoseRecord& d) {
  const Formulation* f = spec.find_formulation(d.formulation);
  return f ? spec.find_compound(f->compound) : nullptr;
}

bool has_antagonist(const ScenarioSpec& spec, const Arm& arm) {
  for (const DoseRecord& d : arm.doses)
    if (const Compound* c = dosed_compound(spec, d); c && c->binds_receptor && !c->is_agonist())
      return true;
  return false;
}

// Rate at which the agonist occupancy crosses 50%, interpolating logit(occupancy) linearly
// in log(rate): exact at equilibrium, where logit(theta_A) = log A - log(K_A (1 + [N]/K_N)).
double ec50(const std::vector<double>& rates, const std::vector<double>& occ) {
  for (std::size_t i = 1; i < rates.size(); ++i) {
    if (occ[i - 1] < 0.5 && occ[i] >= 0.5) {
      const double y0 = std::log(occ[i - 1] / (1 - occ[i - 1]));
      const double y1 = std::log(occ[i] / (1 - occ[i]));
      const double x0 = std::log(rates[i - 1]), x1 = std::log(rates[i]);
      return std::exp(x0 + (0.0 - y0) * (x1 - x0) / (y1 - y0));
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

SchildResult run_schild(const ScenarioSpec& spec, const std::vector<std::string>& levels) {
  std::vector<Arm> arms;
  for (const std::string& name : levels)
    for (const Arm& a : spec.arms)
      if (a.name == name) arms.push_back(a);
  if (arms.size() < 2) throw ModelError("schild: needs a control arm and antagonist arms");
  SchildResult r;
  // The agonist: the steady-state dose record of an agonist in the first arm.
  double base_mg = 0.0, ii_h = 24.0;
  for (const DoseRecord& d : arms.front().doses)
    if (const Compound* c = dosed_compound(spec, d); c && c->is_agonist() && d.steady_state) {
      r.agonist = c->name;
      r.agonist_formulation = d.formulation;
      base_mg = d.amount_mg;
      ii_h = d.ii_h;
    }
  if (r.agonist.empty()) throw ModelError("schild: the first arm has no steady-state agonist dose");
  for (const Arm& a : arms)
    for (const DoseRecord& d : a.doses)
      if (const Compound* c = dosed_compound(spec, d); c && c->binds_receptor && !c->is_agonist()) {
        r.antagonist = c->name;
        r.antagonist_kd_nM = c->binding.kd_nM();
      }
  if (r.antagonist.empty() || has_antagonist(spec, arms.front()))
    throw ModelError("schild: needs a first arm without antagonist and arms with one");

  const double per_day = 24.0 / ii_h;
  for (int k = static_cast<int>(-kDecadesBelow * kStepsPerDecade);
       k <= static_cast<int>(kDecadesAbove * kStepsPerDecade); ++k)
    r.rates_mg_per_day.push_back(base_mg * per_day * std::pow(10.0, double(k) / kStepsPerDecade));

  ArmSimulator sim(spec);
  // Both infusions run at steady state, so every state is constant; one sample at the end.
  const std::vector<double> samples{spec.grid.t_end_h};
  for (const Arm& arm : arms) {
    SchildLevel lv;
    lv.arm = arm.name;
    for (double rate : r.rates_mg_per_day) {
      Arm a = arm;
      for (DoseRecord& d : a.doses)
        if (d.formulation == r.agonist_formulation) d.amount_mg = rate / per_day;
      const Trajectory tr = sim.simulate(a, samples);
      const std::size_t i = tr.n_times() - 1;
      const std::size_t ka = tr.compound_index(r.agonist), kn = tr.compound_index(r.antagonist);
      lv.agonist_brain_nM.push_back(tr.brain(i, ka));
      lv.occupancy.push_back(tr.occ(i, ka));
      lv.effect.push_back(tr.effect[i]);
      lv.antagonist_brain_nM = tr.brain(i, kn);
    }
    lv.antagonist_load = lv.antagonist_brain_nM / r.antagonist_kd_nM;
    lv.predicted_dose_ratio = 1.0 + lv.antagonist_load;
    lv.ec50_rate_mg_per_day = ec50(r.rates_mg_per_day, lv.occupancy);
    r.levels.push_back(lv);
  }
  for (SchildLevel& lv : r.levels)
    lv.dose_ratio = lv.ec50_rate_mg_per_day / r.levels.front().ec50_rate_mg_per_day;

  // Least squares over the antagonist levels (not the control, where log(DR - 1) is -inf).
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t j = 1; j < r.levels.size(); ++j) {
    const double x = std::log10(r.levels[j].antagonist_brain_nM * 1e-9);
    const double y = std::log10(r.levels[j].dose_ratio - 1.0);
    n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  r.slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  r.intercept = (sy - r.slope * sx) / n;
  r.pa2 = r.intercept / r.slope;
  return r;
}

void write_schild(hid_t file, const SchildResult& r) {
  H5Id g = create_group(file, "schild");
  write_attr(g.get(), "agonist", r.agonist);
  write_attr(g.get(), "antagonist", r.antagonist);
  write_attr(g.get(), "agonist_formulation", r.agonist_formulation);
  write_attr(g.get(), "antagonist_kd_nM", r.antagonist_kd_nM);
  write_attr(g.get(), "schild_slope", r.slope);
  write_attr(g.get(), "schild_intercept", r.intercept);
  write_attr(g.get(), "pA2", r.pa2);
  const hsize_t nl = r.levels.size(), nr = r.rates_mg_per_day.size();
  std::vector<std::string> arms;
  std::vector<double> n_nM, load, ec50s, dr, pdr, agon, occ, eff;
  for (const SchildLevel& lv : r.levels) {
    arms.push_back(lv.arm);
    n_nM.push_back(lv.antagonist_brain_nM);
    load.push_back(lv.antagonist_load);
    ec50s.push_back(lv.ec50_rate_mg_per_day);
    dr.push_back(lv.dose_ratio);
    pdr.push_back(lv.predicted_dose_ratio);
    agon.insert(agon.end(), lv.agonist_brain_nM.begin(), lv.agonist_brain_nM.end());
    occ.insert(occ.end(), lv.occupancy.begin(), lv.occupancy.end());
    eff.insert(eff.end(), lv.effect.begin(), lv.effect.end());
  }
  write_dataset(g.get(), "arm", arms, "", "scenario arm fixing the antagonist level");
  write_dataset(g.get(), "agonist_rate", {nr}, r.rates_mg_per_day, "mg/d",
                "agonist infusion rate at steady state");
  write_dataset(g.get(), "antagonist_brain", {nl}, n_nM, "nM", "antagonist brain concentration");
  write_dataset(g.get(), "antagonist_load", {nl}, load, "1", "[N]/K_N");
  write_dataset(g.get(), "agonist_brain", {nl, nr}, agon, "nM", "agonist brain concentration");
  write_dataset(g.get(), "occupancy", {nl, nr}, occ, "1", "agonist receptor occupancy");
  write_dataset(g.get(), "effect", {nl, nr}, eff, "1", "agonist effect, fraction of maximum");
  write_dataset(g.get(), "ec50_rate", {nl}, ec50s, "mg/d", "rate giving 50% agonist occupancy");
  write_dataset(g.get(), "dose_ratio", {nl}, dr, "1", "EC50 / EC50 without antagonist");
  write_dataset(g.get(), "predicted_dose_ratio", {nl}, pdr, "1", "1 + [N]/K_N");
  g.close("close /schild");
}

}  // namespace morsim
