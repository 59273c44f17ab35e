// DenseOutput of an arm: its run's DenseRecord turned into observables by the compiled model.
#pragma once

#include <memory>

#include "model/dense_output.hpp"
#include "solver/compiled_model.hpp"
#include "solver/dense_record.hpp"

namespace morsim {

class RecordedArm final : public DenseOutput {
 public:
  // `header`: the arm's name, compounds and flags, copied into every sample() result.
  RecordedArm(std::shared_ptr<const CompiledModel> model, DenseRecord record,
              const Trajectory& header);

  double t_begin_h() const override { return record_.t_begin_h(); }
  double t_end_h() const override { return record_.t_end_h(); }
  Trajectory sample(const std::vector<double>& t_h) const override;
  std::size_t n_steps() const override { return record_.n_steps(); }
  std::size_t bytes() const override { return record_.bytes(); }
  const DenseRecord& record() const { return record_; }

 private:
  std::shared_ptr<const CompiledModel> model_;  // the record's states mean nothing without it
  DenseRecord record_;
  Trajectory header_;
};

}  // namespace morsim
