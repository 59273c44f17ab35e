// The dense output of one run, step by step, so that its state can be read at any time of the
// run afterwards without integrating again.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "solver/step_observer.hpp"

namespace morsim {

class DenseRecord final : public StepObserver {
 public:
  explicit DenseRecord(Eigen::Index n_states) : n_(n_states) {}

  void on_step(const DenseStep& step) override;
  // The state at the end of the run, after what happens there (a dose at the last time): no
  // step follows it to carry it.
  void set_end(double t_h, const Eigen::VectorXd& x);

  bool empty() const { return steps_.empty(); }
  std::size_t n_steps() const { return steps_.size(); }
  Eigen::Index n_states() const { return n_; }
  double t_begin_h() const { return steps_.front().t_old_h; }
  double t_end_h() const { return t_end_h_; }
  bool covers(double t_h) const { return !empty() && t_h >= t_begin_h() && t_h <= t_end_h_; }
  std::size_t bytes() const;

  // The state at t_h (covers(t_h)), as a sample of the run at t_h would be: a time where two
  // steps meet (a dose) is read from the later step, so it sees the dose. Same arithmetic as
  // Rodas4Stepper::emit_samples, hence the same numbers.
  void state_at(double t_h, Eigen::VectorXd& x) const;

 private:
  struct Step {
    double t_old_h, t_new_h;
    std::size_t x_old, x_new;  // offsets into values_; c3 and c4 follow x_new
  };
  Eigen::Index n_;
  std::vector<Step> steps_;
  // x_new, c3 and c4 of every step, and x_old only where it is not the previous step's x_new
  // (after a dose or a state event): a quarter less to store and copy.
  std::vector<double> values_;
  double t_end_h_ = 0.0;
  bool end_set_ = false;  // x_end_ holds the end state; otherwise the last step's x_new
  Eigen::VectorXd x_end_;
};

}  // namespace morsim
