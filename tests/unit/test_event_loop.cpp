// The one event loop: a run split at a dose chains to the same numbers as one run, zero-order
// inputs carry across a chained start, and a dose at a chained end waits for the next span.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "pk/dose_schedule.hpp"
#include "solver/compiled_model.hpp"
#include "solver/event_loop.hpp"
#include "solver/integrator.hpp"
#include "support/ref_v1.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

struct Rig {
  ScenarioSpec spec;
  CompiledModel model;
  std::unique_ptr<Integrator> integrator;
  std::vector<PhaseInput> inputs;
  explicit Rig(ScenarioSpec s)
      : spec(std::move(s)),
        model(spec),
        integrator(make_integrator(spec.solver, model.absolute_tolerance(spec.solver), model)),
        inputs(expand_schedule(spec, spec.arms[0]).inputs) {}
  Eigen::VectorXd zero() const {
    return Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model.size()));
  }
};

struct Recorded {
  std::vector<double> t;
  std::vector<Eigen::VectorXd> x;
};

Recorded run(Rig& r, EventLoop& loop, Eigen::VectorXd& x, const EventSpan& span,
             const std::vector<double>& times) {
  Recorded out;
  SampleCursor cursor{&times, 0};
  const SampleFn rec = [&](double t, const Eigen::VectorXd& s) {
    out.t.push_back(t);
    out.x.push_back(s);
  };
  loop.run(r.model, *r.integrator, r.spec.solver.initial_step_h, r.inputs, x, span, cursor, rec);
  return out;
}

double total(const Eigen::VectorXd& x) { return x.sum(); }

}  // namespace

TEST_CASE("event loop: a run chained at a dose time equals one run bit for bit", "[solver]") {
  Rig r(ref_v1(RefScenario::kDepot));  // heroin at 24 h
  std::vector<double> before, after, all;
  for (int i = 0; i <= 480; ++i) (i * 0.1 < 24.0 ? before : after).push_back(i * 0.1);
  all = before;
  all.insert(all.end(), after.begin(), after.end());

  EventLoop loop;
  Eigen::VectorXd whole = r.zero();
  const Recorded one = run(r, loop, whole, {0.0, 48.0, false}, all);

  Eigen::VectorXd x = r.zero();
  Recorded split = run(r, loop, x, {0.0, 24.0, true}, before);
  const Recorded rest = run(r, loop, x, {24.0, 48.0, true}, after);
  split.t.insert(split.t.end(), rest.t.begin(), rest.t.end());
  split.x.insert(split.x.end(), rest.x.begin(), rest.x.end());

  REQUIRE(split.t == one.t);
  for (std::size_t i = 0; i < one.t.size(); ++i) {
    INFO("t = " << one.t[i] << " h");
    REQUIRE((split.x[i].array() == one.x[i].array()).all());
  }
  // The samples at and after 24 h see the heroin dose: the comparison can fail.
  CHECK(one.x[240][r.model.input_targets(0, 0).front().state] > 0.0);
}

TEST_CASE("event loop: a dose at a chained end is left to the next span", "[solver]") {
  Rig r(ref_v1(RefScenario::kControl));  // heroin 25 mg IV at 24 h only
  const std::size_t heroin_in = r.model.input_targets(0, 0).front().state;
  const std::vector<double> at_end{24.0};
  EventLoop loop;
  Eigen::VectorXd chained = r.zero(), whole = r.zero();
  const Recorded c = run(r, loop, chained, {0.0, 24.0, true}, at_end);
  const Recorded w = run(r, loop, whole, {0.0, 24.0, false}, at_end);
  REQUIRE(c.x.size() == 1);
  REQUIRE(w.x.size() == 1);
  CHECK(c.x[0][heroin_in] == 0.0);
  CHECK(chained[heroin_in] == 0.0);
  CHECK(w.x[0][heroin_in] > 0.0);  // a whole run's last sample sees the dose
  CHECK(whole[heroin_in] == w.x[0][heroin_in]);
}

TEST_CASE("event loop: an infusion running at a chained start goes on", "[solver]") {
  // 25 mg of heroin infused over 2 h from 23 h; a span from 24 h continues it (the other half
  // of the dose) when chained, and drops it otherwise.
  ScenarioSpec spec = ref_v1(RefScenario::kControl);
  spec.arms[0].doses[0].time_h = 23.0;
  spec.arms[0].doses[0].duration_h = 2.0;
  spec.solver.rtol = 1e-9;
  spec.solver.atol = 1e-12;
  Rig r(spec);
  REQUIRE(r.inputs.size() == 1);
  REQUIRE(r.inputs[0].duration_h == 2.0);
  const std::vector<double> none;
  EventLoop loop;

  Eigen::VectorXd whole = r.zero();
  run(r, loop, whole, {0.0, 30.0, false}, none);

  Eigen::VectorXd x = r.zero();
  run(r, loop, x, {0.0, 24.0, true}, none);
  Eigen::VectorXd dropped = x;
  run(r, loop, x, {24.0, 30.0, true}, none);
  run(r, loop, dropped, {24.0, 30.0, false}, none);

  INFO("whole " << total(whole) << ", chained " << total(x) << ", dropped " << total(dropped));
  CHECK(std::abs(total(x) - total(whole)) <= 1e-6 * total(whole));
  CHECK(total(dropped) < 0.9 * total(whole));
}
