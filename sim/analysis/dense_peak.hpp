// Peaks located on the solver's dense output rather than read off the output grid, so that a
// reported peak does not depend on [output] step or refine_after_doses.
#pragma once

#include <functional>
#include <vector>

#include "model/dense_output.hpp"
#include "model/scenario.hpp"
#include "model/trajectory.hpp"

namespace morsim {

class ArmSimulator;

// A scalar read from sample i of a trajectory (e.g. the summed agonist occupancy).
using SampleObservable = std::function<double(const Trajectory&, std::size_t)>;

struct PeakWindow {
  double t0_h = 0.0, t1_h = 0.0;  // closed interval searched
};

struct DensePeak {
  double value = 0.0;  // the maximum of the observable in the window
  double t_h = 0.0;    // where it is reached
  // Every observable of the trajectory at the dense sample nearest to t_h (within a second).
  Trajectory at_peak;
};

// For each window, the maximum of each observable: the arm is sampled on 1-min samples in
// every window (10-min beyond its first 6 h), then on 0.5-s samples around each coarse
// maximum, and the maximum is placed by the parabola through the three finest samples about
// it. Windows must not overlap. result[w][o] for window w, observable o.
//
// Both passes read the solver's dense output, whose steps do not depend on the sample times:
// here the arm is simulated once, keeping its run (SimulateOptions::keep_dense_output), and
// the fine pass reads that; a method without dense output (exact-linear, dopri5) simulates
// the arm a second time for the fine pass.
std::vector<std::vector<DensePeak>> locate_peaks(ArmSimulator& sim, const Arm& arm,
                                                 const std::vector<PeakWindow>& windows,
                                                 const std::vector<SampleObservable>& observables);
// The same on a kept run of the arm (Trajectory::dense): no simulation at all. Every window
// must lie in the run's span (dense_output_covers).
std::vector<std::vector<DensePeak>> locate_peaks(const DenseOutput& dense,
                                                 const std::vector<PeakWindow>& windows,
                                                 const std::vector<SampleObservable>& observables);
bool dense_output_covers(const DenseOutput& dense, const std::vector<PeakWindow>& windows);
// On the kept run of `tr`, the trajectory of `arm`, when it has one spanning the windows (no
// simulation), else as locate_peaks(sim, arm, ...).
std::vector<std::vector<DensePeak>> locate_peaks(const Trajectory& tr, ArmSimulator& sim,
                                                 const Arm& arm,
                                                 const std::vector<PeakWindow>& windows,
                                                 const std::vector<SampleObservable>& observables);
// The former way, one new simulation per pass, kept so that tests can compare the two.
std::vector<std::vector<DensePeak>> locate_peaks_simulating_twice(
    ArmSimulator& sim, const Arm& arm, const std::vector<PeakWindow>& windows,
    const std::vector<SampleObservable>& observables);

}  // namespace morsim
