// Receptor binding against closed forms: single-ligand kinetics, Gaddum equilibrium,
// receptor conservation, the Schild shift, and the operational effect.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "binding/competitive_binding.hpp"
#include "solver/simulate.hpp"
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

// A compound whose plasma concentration stays constant: no elimination, IV bolus at t = 0,
// very fast brain equilibration, so Ce = C after the first seconds.
Compound held(const std::string& name, double conc_nM, double kon, double koff, double tau) {
  Compound c = binding_compound(name, 1.0, 0.0, 1e4, kon, koff, tau);
  c.central_volume_L = 1.0 / conc_nM;  // 1 nmol in 1/C litres is C nM
  return c;
}

DoseRecord unit_dose(const std::string& f, double t = 0.0) {
  DoseRecord r;
  r.formulation = f;
  r.amount_mg = 1.0;  // 1 nmol at the unit molar mass
  r.time_h = t;
  return r;
}

}  // namespace

TEST_CASE("single ligand approaches C^n/(C^n+K^n) with rate kon C^n + koff",
          "[binding][closed-form]") {
  const double c = 3.0, kon = 2.0, koff = 1.5;
  for (double n : {1.0, 0.8439}) {
    Compound a = held("a", c, kon, koff, 1.0);
    a.ke0_per_h = 1e6;  // brain tracks plasma within ~1e-5 h
    a.binding.hill_n = n;
    auto s =
        one_arm({a}, {simple_formulation("iv", "a")}, {unit_dose("iv")}, 5, 0.25, 1e-10, 1e-13);
    const Trajectory tr = simulate(s).front();
    const double cn = std::pow(c, n);
    const double eq = cn / (cn + koff / kon);
    const double k_obs = kon * cn + koff;
    for (std::size_t i = 1; i < tr.n_times(); ++i)
      CHECK(tr.occ(i, 0) == Approx(eq * (1 - std::exp(-k_obs * tr.t_h[i]))).epsilon(1e-5));
    // Equilibrium mode gives C^n/(C^n+K^n) at once.
    s.receptor.mode = BindingMode::kEquilibrium;
    const Trajectory te = simulate(s).front();
    CHECK(te.occ(te.n_times() - 1, 0) == Approx(eq).epsilon(1e-9));
  }
}

TEST_CASE("held concentrations reach the Gaddum occupancies", "[binding][closed-form]") {
  // theta_i = (C_i/K_i) / (1 + sum_j C_j/K_j)
  const double ca = 4.0, ka = 2.0, cb = 0.5, kb = 0.25;
  auto s = one_arm(
      {held("agonist", ca, 10.0, 10.0 * ka, 1.0), held("antagonist", cb, 8.0, 8.0 * kb, 0.0)},
      {simple_formulation("a", "agonist"), simple_formulation("b", "antagonist")},
      {unit_dose("a"), unit_dose("b")}, 10, 1.0, 1e-10, 1e-13);
  const Trajectory tr = simulate(s).front();
  const std::size_t last = tr.n_times() - 1;
  const double denom = 1 + ca / ka + cb / kb;
  CHECK(tr.occ(last, 0) == Approx((ca / ka) / denom).epsilon(1e-7));
  CHECK(tr.occ(last, 1) == Approx((cb / kb) / denom).epsilon(1e-7));
  CHECK(tr.free_receptor[last] == Approx(1 / denom).epsilon(1e-7));
}

TEST_CASE("kinetic and equilibrium binding agree when binding is fast", "[binding]") {
  // Same PK; binding rates 1e4 times faster than any PK rate.
  Compound ag = binding_compound("agonist", 50, 0.5, 2.0, 1e4, 1e4 * 2.0, 1.0);
  Compound an = binding_compound("antagonist", 200, 0.1, 1.0, 1e4, 1e4 * 0.3, 0.0);
  auto s =
      one_arm({ag, an}, {simple_formulation("a", "agonist"), simple_formulation("b", "antagonist")},
              {unit_dose("a", 1.0), unit_dose("b", 0.0)}, 24, 0.5, 1e-9, 1e-13);
  s.arms[0].doses[0].amount_mg = 200;
  s.arms[0].doses[1].amount_mg = 100;
  const Trajectory kin = simulate(s).front();
  s.receptor.mode = BindingMode::kEquilibrium;
  const Trajectory eq = simulate(s).front();
  for (std::size_t i = 4; i < kin.n_times(); ++i)  // after the first transient
    for (std::size_t k = 0; k < 2; ++k) CHECK(kin.occ(i, k) == Approx(eq.occ(i, k)).margin(2e-4));
}

TEST_CASE("receptor conservation: free receptor from its own balance equals 1 - bound",
          "[binding][conservation]") {
  // The solver integrates the bound states; the free receptor is reported as 1 - bound. Here
  // the free fraction is integrated independently from its own balance,
  //   dF/dt = sum_i (koff_i B_i - kon_i Ce_i F),  F(0) = 1,
  // along the reported brain concentrations and bound states (implicit trapezoid rule on a
  // fine output grid). Receptor is conserved only if the two agree: a lost or duplicated
  // dissociation term, or an integrator that drifts off the invariant, makes them differ.
  const double kon_a = 30, koff_a = 30, kon_b = 6, koff_b = 1.2;
  Compound ag = binding_compound("agonist", 50, 0.5, 2.0, kon_a, koff_a, 1.0);
  Compound an = binding_compound("antagonist", 200, 0.1, 1.0, kon_b, koff_b, 0.0);
  auto s =
      one_arm({ag, an}, {simple_formulation("a", "agonist"), simple_formulation("b", "antagonist")},
              {unit_dose("b", 0.0), unit_dose("a", 2.0)}, 12, 0.001, 1e-10, 1e-14);
  s.arms[0].doses[0].amount_mg = 500;  // 2.5 nM antagonist in plasma at first
  s.arms[0].doses[1].amount_mg = 10;   // 0.2 nM agonist
  const Trajectory tr = simulate(s).front();
  const std::size_t a = tr.compound_index("agonist"), b = tr.compound_index("antagonist");
  double free = 1.0, max_diff = 0.0, min_bound_b = 1.0, max_bound_a = 0.0;
  for (std::size_t i = 1; i < tr.n_times(); ++i) {
    const double dt = tr.t_h[i] - tr.t_h[i - 1];
    const double off_prev = koff_a * tr.occ(i - 1, a) + koff_b * tr.occ(i - 1, b);
    const double off_now = koff_a * tr.occ(i, a) + koff_b * tr.occ(i, b);
    const double on_prev = kon_a * tr.brain(i - 1, a) + kon_b * tr.brain(i - 1, b);
    const double on_now = kon_a * tr.brain(i, a) + kon_b * tr.brain(i, b);
    free = (free + 0.5 * dt * (off_prev + off_now - on_prev * free)) / (1 + 0.5 * dt * on_now);
    max_diff = std::max(max_diff, std::abs(free - (1 - tr.occ(i, a) - tr.occ(i, b))));
    max_bound_a = std::max(max_bound_a, tr.occ(i, a));
    min_bound_b = std::min(min_bound_b, i > tr.n_times() / 2 ? tr.occ(i, b) : 1.0);
  }
  CHECK(max_bound_a > 0.01);  // both ligands hold a visible share of the receptor
  CHECK(min_bound_b > 0.1);
  CHECK(max_diff < 1e-5);
}

TEST_CASE("Schild: the antagonist shifts the agonist's EC50 by 1 + [B]/K_B", "[binding][schild]") {
  // Equilibrium occupancy at held concentrations; bisection for the agonist concentration
  // giving 50% of the maximal agonist occupancy reachable with the antagonist present (which is
  // 1 at infinite agonist), i.e. theta_A = 0.5.
  const double ka = 1.2, kb = 0.2;
  Binding a, b;
  a.kon_per_nM_n_per_h = 10;
  a.koff_per_h = 10 * ka;
  b.kon_per_nM_n_per_h = 6;
  b.koff_per_h = 6 * kb;
  const std::vector<const Binding*> ligands{&a, &b};
  for (double cb : {0.0, 0.2, 1.0, 5.0}) {
    double lo = 1e-6, hi = 1e6;
    for (int it = 0; it < 200; ++it) {
      const double mid = std::sqrt(lo * hi);
      double ce[2] = {mid, cb}, occ[2];
      equilibrium_occupancy(ligands, ce, occ);
      (occ[0] < 0.5 ? lo : hi) = mid;
    }
    CHECK(std::sqrt(lo * hi) == Approx(ka * (1 + cb / kb)).epsilon(1e-9));
  }
}

TEST_CASE("operational effect: tau theta / (1 + tau theta); antagonists add nothing",
          "[binding][effect]") {
  Binding full, partial, antag;
  full.tau = 30;
  partial.tau = 0.5;
  antag.tau = 0.0;
  const std::vector<const Binding*> l{&full, &partial, &antag};
  const double occ[3] = {0.2, 0.3, 0.4};
  const double s = 30 * 0.2 + 0.5 * 0.3;
  CHECK(operational_effect(l, occ, 1.0) == Approx(s / (1 + s)));
  CHECK(operational_effect(l, occ, 2.0) == Approx(s * s / (1 + s * s)));
  const double only_antagonist[3] = {0, 0, 0.9};
  CHECK(operational_effect(l, only_antagonist, 1.0) == 0.0);
}
