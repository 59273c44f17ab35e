// Computes the parameters and metrics of one scenario of a sweep. One Evaluator per worker
// thread; it caches, per distinct set of non-challenge parameters, the compiled model and the
// antagonist-only prefix state at each challenge time, so scenarios that differ only in the
// challenge integrate just the hours after it. Results are pure functions of the index.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "solver/event_loop.hpp"
#include "sweep/sweep_spec.hpp"

namespace morsim::sweep {

class Evaluator {
 public:
  explicit Evaluator(const SweepSpec& sweep);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Writes the scenario's parameter values (P) first, then its metrics (M) and, when the sweep
  // stores trajectories, T x 2 occupancies (agonist, antagonist). Throws on failure (invalid
  // model, SolverError); `params` is filled even then.
  void evaluate(std::uint64_t index, double* params, double* metrics, double* trajectory);
  // Accepted / rejected integrator steps so far over the cached bases (for benchmarks).
  SolverStats stats() const;
  // The times after a challenge at which it is sampled (h, from the challenge): fine while the
  // peak builds, coarse to the end of the window.
  const std::vector<double>& challenge_offsets_h() const { return offsets_; }

 private:
  struct Base;
  Base& base_for(const std::vector<double>& key, const std::vector<double>& params);
  const Eigen::VectorXd& prefix_at(Base& b, bool control, double t_c);
  // Runs the challenge of `amount_mg` at t_c from the cached prefix for `span_h` hours,
  // recording summed agonist and antagonist occupancy on the sample offsets.
  void run_challenge(Base& b, bool control, double t_c, double amount_mg, double span_h);
  double coverage(Base& b, const Metric& m);
  // Moves the integrator's counters into total_: max_steps then limits each scenario, not
  // the sum over every scenario a cached base has served.
  void harvest(Base& b);

  const SweepSpec& sw_;
  std::vector<double> stops_;    // challenge times shared by all scenarios (sorted)
  std::vector<double> offsets_;  // sample offsets after the challenge
  std::map<std::vector<double>, std::unique_ptr<Base>> cache_;
  SolverStats total_;
  std::vector<double> key_, t_, ag_, antag_, effect_;
  std::vector<double> plasma_, brain_, occ_;
};

}  // namespace morsim::sweep
