// Failure messages shared by the integrators.
#include "solver/integrator.hpp"

#include <sstream>

#include "model/errors.hpp"

namespace morsim {

void Integrator::fail(double t_h, const Eigen::VectorXd& x, const std::string& why) const {
  std::ostringstream os;
  os << "integration failed at t = " << t_h << " h: " << why << "; state:";
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    os << (i ? ", " : " ");
    if (k < state_names_.size())
      os << state_names_[k];
    else
      os << "x[" << i << "]";
    os << " = " << x[i];
  }
  throw SolverError(os.str());
}

}  // namespace morsim
