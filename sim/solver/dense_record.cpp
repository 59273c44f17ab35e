// Storing accepted steps and evaluating the Rodas4 dense output on them.
#include "solver/dense_record.hpp"

#include <algorithm>

namespace morsim {

void DenseRecord::on_step(const DenseStep& step) {
  t_old_h_.push_back(step.t_old_h);
  t_new_h_.push_back(step.t_new_h);
  for (const Eigen::VectorXd* v : {step.x_old, step.x_new, step.c3, step.c4})
    coeffs_.insert(coeffs_.end(), v->data(), v->data() + n_);
  t_end_h_ = step.t_new_h;
  x_end_ = *step.x_new;
}

void DenseRecord::set_end(double t_h, const Eigen::VectorXd& x) {
  t_end_h_ = t_h;
  x_end_ = x;
}

std::size_t DenseRecord::bytes() const {
  return sizeof(double) * (t_old_h_.size() + t_new_h_.size() + coeffs_.size() +
                           static_cast<std::size_t>(x_end_.size()));
}

void DenseRecord::state_at(double t_h, Eigen::VectorXd& x) const {
  if (t_h >= t_end_h_) {
    x = x_end_;
    return;
  }
  // The last step starting at or before t_h: where steps meet, the later one.
  const auto it = std::upper_bound(t_old_h_.begin(), t_old_h_.end(), t_h);
  const auto k = static_cast<std::size_t>(std::max<std::ptrdiff_t>(it - t_old_h_.begin() - 1, 0));
  const double* p = coeffs_.data() + 4 * static_cast<std::size_t>(n_) * k;
  using Map = Eigen::Map<const Eigen::VectorXd>;
  const Map x_old(p, n_), x_new(p + n_, n_), c3(p + 2 * n_, n_), c4(p + 3 * n_, n_);
  const double th = (t_h - t_old_h_[k]) / (t_new_h_[k] - t_old_h_[k]), th1 = 1.0 - th;
  x = x_old * th1 + th * (x_new + th1 * (c3 + th * c4));
}

}  // namespace morsim
