// Where the integrators write their output: sorted sample times and a callback per sample.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <functional>
#include <vector>

namespace morsim {

// Sorted sample times and the index of the next one not yet recorded.
struct SampleCursor {
  const std::vector<double>* times = nullptr;
  std::size_t next = 0;
  bool done() const { return next >= times->size(); }
  double peek() const { return (*times)[next]; }
};

using SampleFn = std::function<void(double t_h, const Eigen::VectorXd& x)>;

}  // namespace morsim
