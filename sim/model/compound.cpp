// The one derived quantity of a compound's binding.
#include "model/compound.hpp"

#include <cmath>

namespace morsim {

double Binding::kd_nM() const { return std::pow(koff_per_h / kon_per_nM_n_per_h, 1.0 / hill_n); }

}  // namespace morsim
