// Per-state absolute tolerances: nM-scaled by default, receptor-occupancy-scaled on request.
#include <catch2/catch.hpp>
#include <cmath>

#include "solver/compiled_model.hpp"
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

int state(const CompiledModel& m, const std::string& name) {
  const auto& names = m.state_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  FAIL("no state " << name);
  return -1;
}

// Parent P (does not bind) -> half of it to metabolite M (binds, Kd 4 nM, V 20 L, Kp 2);
// an oral form of P with F 0.8 and first pass of the rest to M at 50%; X binds nothing.
ScenarioSpec chain_model() {
  Compound p = simple_compound("P", 10.0, 1.0);
  p.metabolites = {{"M", 0.5}};
  Compound m = binding_compound("M", 20.0, 0.5, 3.0, /*kon*/ 2.5, /*koff*/ 10.0, 0.0);
  m.brain_partition = 2.0;
  Compound x = simple_compound("X", 7.0, 0.2);
  Formulation oral = simple_formulation("oral-P", "P", {1.5}, 0.8);
  oral.first_pass = {{"M", 0.5}};
  return one_arm({p, m, x}, {oral, simple_formulation("iv-X", "X")}, {}, 1.0, 0.1);
}

}  // namespace

TEST_CASE("half-occupancy levels follow metabolites, partition and bioavailability",
          "[solver][tolerance]") {
  const CompiledModel model(chain_model());
  const auto& level = model.half_occupancy_level();
  const double kd = 10.0 / 2.5;             // nM
  const double m_amount = kd * 20.0 / 2.0;  // nmol of M in plasma at brain equilibrium = Kd
  CHECK(level[state(model, "M.brain")] == Approx(kd));
  CHECK(level[state(model, "M.occupancy")] == 1.0);
  CHECK(level[state(model, "M.central")] == Approx(m_amount));
  CHECK(level[state(model, "P.central")] == Approx(m_amount / 0.5));
  // Through the gut: 0.8 reaches P (-> 0.5 of it M), 0.2 x 0.5 goes straight to M.
  CHECK(level[state(model, "oral-P.input")] ==
        Approx(std::min(m_amount / 0.5 / 0.8, m_amount / (0.2 * 0.5))));
  CHECK(std::isinf(level[state(model, "X.central")]));
}

TEST_CASE("atol_occupancy sets the tolerance of states that reach the receptor only",
          "[solver][tolerance]") {
  ScenarioSpec spec = chain_model();
  const CompiledModel model(spec);
  spec.solver.atol = 1e-9;
  const std::vector<double> nm = model.absolute_tolerance(spec.solver);
  CHECK(nm[state(model, "X.central")] == Approx(1e-9 * 7.0));  // atol x V
  CHECK(nm[state(model, "M.brain")] == Approx(1e-9));
  spec.solver.atol_occupancy = 1e-5;
  const std::vector<double> occ = model.absolute_tolerance(spec.solver);
  CHECK(occ[state(model, "X.central")] == Approx(1e-9 * 7.0));  // cannot reach: keeps atol
  CHECK(occ[state(model, "M.brain")] == Approx(1e-5 * 4.0));
  CHECK(occ[state(model, "M.occupancy")] == Approx(1e-5));
  CHECK(occ[state(model, "P.central")] == Approx(1e-5 * 80.0));
}
