// Trajectory lookups.
#include "model/trajectory.hpp"

#include <stdexcept>

namespace morsim {

std::size_t Trajectory::compound_index(const std::string& name) const {
  for (std::size_t k = 0; k < compounds.size(); ++k)
    if (compounds[k] == name) return k;
  throw std::out_of_range("no compound '" + name + "' in arm '" + arm + "'");
}

double Trajectory::agonist_occupancy(std::size_t i) const {
  double s = 0.0;
  for (std::size_t k = 0; k < compounds.size(); ++k)
    if (is_agonist[k]) s += occ(i, k);
  return s;
}

double Trajectory::antagonist_occupancy(std::size_t i) const {
  double s = 0.0;
  for (std::size_t k = 0; k < compounds.size(); ++k)
    if (binds_receptor[k] && !is_agonist[k]) s += occ(i, k);
  return s;
}

}  // namespace morsim
