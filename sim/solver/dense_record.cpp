// Storing accepted steps and evaluating the Rodas4 dense output on them.
#include "solver/dense_record.hpp"

#include <algorithm>
#include <cstring>

namespace morsim {

void DenseRecord::on_step(const DenseStep& step) {
  const auto n = static_cast<std::size_t>(n_);
  const auto append = [&](const Eigen::VectorXd& v) {
    values_.insert(values_.end(), v.data(), v.data() + n);
  };
  if (values_.empty()) values_.reserve(3 * n * 1024);
  Step s{step.t_old_h, step.t_new_h, 0, 0};
  const bool continues = !steps_.empty() && steps_.back().t_new_h == step.t_old_h &&
                         std::memcmp(values_.data() + steps_.back().x_new, step.x_old->data(),
                                     n * sizeof(double)) == 0;
  if (continues) {
    s.x_old = steps_.back().x_new;
  } else {
    s.x_old = values_.size();
    append(*step.x_old);
  }
  s.x_new = values_.size();
  append(*step.x_new);
  append(*step.c3);
  append(*step.c4);
  steps_.push_back(s);
  t_end_h_ = step.t_new_h;
  end_set_ = false;
}

void DenseRecord::set_end(double t_h, const Eigen::VectorXd& x) {
  t_end_h_ = t_h;
  x_end_ = x;
  end_set_ = true;
}

std::size_t DenseRecord::bytes() const {
  return sizeof(Step) * steps_.size() +
         sizeof(double) * (values_.size() + static_cast<std::size_t>(x_end_.size()));
}

void DenseRecord::state_at(double t_h, Eigen::VectorXd& x) const {
  using Map = Eigen::Map<const Eigen::VectorXd>;
  if (t_h >= t_end_h_) {
    if (end_set_)
      x = x_end_;
    else
      x = Map(values_.data() + steps_.back().x_new, n_);
    return;
  }
  // The last step starting at or before t_h: where steps meet, the later one.
  const auto it = std::upper_bound(steps_.begin(), steps_.end(), t_h,
                                   [](double t, const Step& s) { return t < s.t_old_h; });
  const Step& s = *(it == steps_.begin() ? it : it - 1);
  const double* p = values_.data() + s.x_new;
  const Map x_old(values_.data() + s.x_old, n_), x_new(p, n_), c3(p + n_, n_), c4(p + 2 * n_, n_);
  const double th = (t_h - s.t_old_h) / (s.t_new_h - s.t_old_h), th1 = 1.0 - th;
  x = x_old * th1 + th * (x_new + th1 * (c3 + th * c4));
}

}  // namespace morsim
