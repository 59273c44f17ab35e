// Breakpoints = t0, t1, input starts and zero-order ends inside (t0, t1).
#include "sweep/segment_run.hpp"

#include <algorithm>

namespace morsim::sweep {

void advance(const CompiledModel& model, Integrator& integrator, double initial_step_h,
             const std::vector<PhaseInput>& inputs, Eigen::VectorXd& x, double t0, double t1,
             SampleCursor& samples, const SampleFn& record, SegmentScratch& s) {
  if (s.u.size() != x.size()) s.u = Eigen::VectorXd::Zero(x.size());
  std::vector<double>& bp = s.breakpoints;
  bp.clear();
  bp.push_back(t0);
  bp.push_back(t1);
  for (const PhaseInput& in : inputs) {
    if (in.start_h > t0 && in.start_h < t1) bp.push_back(in.start_h);
    const double end = in.start_h + in.duration_h;
    if (in.duration_h > 0.0 && end > t0 && end < t1) bp.push_back(end);
  }
  std::sort(bp.begin(), bp.end());
  bp.erase(std::unique(bp.begin(), bp.end()), bp.end());

  const SegmentSystem sys{&model, &s.u};
  for (std::size_t b = 0; b < bp.size(); ++b) {
    const double a = bp[b];
    const bool last = b + 1 == bp.size();
    bool bolus = false;
    s.u.setZero();
    for (const PhaseInput& in : inputs) {
      if (in.duration_h > 0.0) {
        if (in.start_h <= a && a < in.start_h + in.duration_h) {
          const double rate = in.amount_nmol / in.duration_h;
          for (const InputTarget& t : model.input_targets(in.formulation, in.phase))
            s.u[t.state] += t.factor * rate;
        }
      } else if (in.start_h == a && !last) {
        for (const InputTarget& t : model.input_targets(in.formulation, in.phase))
          x[t.state] += t.factor * in.amount_nmol;
        bolus = true;
      }
    }
    while (!samples.done() && samples.peek() <= a) {
      record(samples.peek(), x);
      ++samples.next;
    }
    if (last) break;
    if (bolus || b == 0) integrator.restart_step(initial_step_h);
    integrator.integrate(sys, x, a, bp[b + 1], samples, record);
  }
}

}  // namespace morsim::sweep
