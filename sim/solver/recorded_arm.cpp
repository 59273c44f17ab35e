// Sampling a kept run: the state from the dense record, the observables as simulate() makes them.
#include "solver/recorded_arm.hpp"

#include <utility>

namespace morsim {

RecordedArm::RecordedArm(std::shared_ptr<const CompiledModel> model, DenseRecord record,
                         const Trajectory& header)
    : model_(std::move(model)), record_(std::move(record)) {
  header_.arm = header.arm;
  header_.compounds = header.compounds;
  header_.is_agonist = header.is_agonist;
  header_.binds_receptor = header.binds_receptor;
  header_.effect_modelled = header.effect_modelled;
}

Trajectory RecordedArm::sample(const std::vector<double>& t_h) const {
  Trajectory tr = header_;
  const std::size_t nk = tr.n_compounds(), nt = t_h.size();
  tr.t_h = t_h;
  tr.plasma_nM.resize(nt * nk);
  tr.brain_nM.resize(nt * nk);
  tr.occupancy.resize(nt * nk);
  tr.free_receptor.resize(nt);
  tr.effect.resize(nt);
  Eigen::VectorXd x(record_.n_states());
  for (std::size_t i = 0; i < nt; ++i) {
    record_.state_at(t_h[i], x);
    model_->observe(x, &tr.plasma_nM[i * nk], &tr.brain_nM[i * nk], &tr.occupancy[i * nk],
                    tr.free_receptor[i], tr.effect[i]);
  }
  return tr;
}

}  // namespace morsim
