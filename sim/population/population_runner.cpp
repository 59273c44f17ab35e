// Work units are (arm, block of subjects); workers take them from an atomic counter and hand
// each finished unit (occupancy rows, outcomes, draws) to the scratch file or checkpoint under
// a lock, keeping the outcomes in preallocated slots too. A resumed run skips the units the
// checkpoint holds. Bands are computed afterwards, a block of time points at a time.
#include "population/population_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "model/errors.hpp"
#include "population/occupancy_scratch.hpp"
#include "population/percentiles.hpp"
#if MORSIM_WITH_MPI
#include "population/mpi_population.hpp"
#endif

namespace morsim::population {

namespace {

std::string scratch_path(const PopulationOptions& o) {
  static std::atomic<int> counter{0};
  if (!o.output_path.empty())  // named as remove_stale_temporaries() expects
    return o.output_path + "." + std::to_string(getpid()) + "." + std::to_string(counter++) +
           ".scratch";
  std::string dir = o.scratch_dir;
  if (dir.empty()) {
    const char* t = std::getenv("TMPDIR");
    dir = t != nullptr && *t != '\0' ? t : "/tmp";
  }
  return dir + "/morsim-population-" + std::to_string(getpid()) + "-" + std::to_string(counter++) +
         ".scratch.h5";
}

// The checkpoint or temporary file; a resumed one keeps the block size it was made with (any
// block size gives the same subjects).
std::unique_ptr<OccupancyScratch> open_store(const PopulationSpec& ps, const PopulationOptions& o,
                                             const ScratchLayout& fresh) {
  if (o.checkpoint_path.empty()) return OccupancyScratch::temporary(scratch_path(o), fresh);
  if (!o.resume)
    return OccupancyScratch::create_checkpoint(o.checkpoint_path, fresh, run_identity(ps));
  std::unique_ptr<OccupancyScratch> s = OccupancyScratch::open_checkpoint(o.checkpoint_path);
  std::string why = identity_mismatch(s->identity(), run_identity(ps));
  const ScratchLayout& l = s->layout();
  if (why.empty() && (l.arms != fresh.arms || l.times != fresh.times ||
                      l.parameters != fresh.parameters || l.subjects != fresh.subjects))
    why = "its arms, band grid or parameters differ";
  if (!why.empty()) throw OutputError("cannot resume from " + o.checkpoint_path + ": " + why);
  return s;
}

// Puts the outcomes and draws of the units a checkpoint already holds into `res`; returns the
// number of subjects they cover.
std::uint64_t restore_done_units(OccupancyScratch& store, PopulationResult& res) {
  const ScratchLayout& l = store.layout();
  const std::size_t np = l.parameters;
  std::uint64_t subjects = 0;
  std::vector<double> draws;
  for (std::size_t unit = 0; unit < l.units(); ++unit) {
    if (store.done()[unit] == 0) continue;
    const std::size_t a = l.unit_arm(unit), first = l.unit_first(unit), count = l.unit_count(unit);
    store.read_outcomes(unit, &res.arms[a].subjects[first]);
    subjects += count;
    if (a != 0) continue;  // the draws are stored once, by the first arm's unit
    draws.resize(count * (1 + np));
    store.read_draws(unit, draws.data());
    for (std::size_t k = 0; k < count; ++k) {
      res.weight_kg[first + k] = draws[k * (1 + np)];
      std::copy_n(&draws[k * (1 + np) + 1], np, &res.parameters[(first + k) * np]);
    }
  }
  return subjects;
}

// Bands of one (arm, quantity) series, reading `kTimeChunk` time points at a time: memory is
// subjects x 64 floats.
std::vector<double> bands(OccupancyScratch& scratch, std::size_t series, std::size_t n,
                          std::size_t nt, const std::vector<double>& q) {
  std::vector<double> out(q.size() * nt);
  const std::size_t step = OccupancyScratch::kTimeChunk;
  std::vector<float> block(n * step);
  std::vector<double> column(n);
  for (std::size_t t0 = 0; t0 < nt; t0 += step) {
    const std::size_t m = std::min(step, nt - t0);
    scratch.read_columns(series, t0, m, block.data());
#if MORSIM_WITH_MPI
    mpi_population_merge_columns(block.data(), series / 2, n, m);  // other ranks' subjects
#endif
    for (std::size_t j = 0; j < m; ++j) {
      for (std::size_t s = 0; s < n; ++s) column[s] = block[s * m + j];
      const std::vector<double> p = percentiles_linear(column, q);
      for (std::size_t k = 0; k < q.size(); ++k) out[k * nt + t0 + j] = p[k];
    }
  }
  return out;
}

}  // namespace

ArmOutcomes summarise_outcomes(const std::vector<SubjectOutcome>& subjects) {
  ArmOutcomes o;
  const double n = static_cast<double>(subjects.size());
  if (subjects.empty()) return o;
  std::vector<double> protected_days, first;
  for (const SubjectOutcome& s : subjects) {
    o.mean_protected_day_fraction += s.protected_day_fraction / n;
    o.mean_doses_taken_fraction += s.doses_taken_fraction / n;
    o.mean_heroin_uses += s.heroin_uses / n;
    o.mean_rewarding_uses += s.rewarding_uses / n;
    o.fraction_with_rewarding_use += (s.rewarding_uses > 0 ? 1.0 : 0.0) / n;
    protected_days.push_back(s.protected_day_fraction);
    first.push_back(std::isnan(s.first_unblocked_use_h) ? std::numeric_limits<double>::infinity()
                                                        : s.first_unblocked_use_h);
  }
  o.median_protected_day_fraction = percentiles_linear(protected_days, {50.0})[0];
  const double m = percentiles_linear(first, {50.0})[0];
  o.median_time_to_first_rewarding_use_h =
      std::isfinite(m) ? m : std::numeric_limits<double>::quiet_NaN();
  return o;
}

PopulationResult run_population(const PopulationSpec& ps, const PopulationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  PopulationResult res;
  res.band_t_h = band_times(ps);
  const std::size_t n = ps.subjects, nt = res.band_t_h.size(), na = ps.arms.size();
  const std::size_t np = ps.variability.size();
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, threads);
  res.threads = threads;
  // Whole scratch chunks per unit when there are many subjects; small units otherwise so that
  // every thread gets work.
  ScratchLayout fresh{na, n, nt, np, options.block};
  if (fresh.block == 0) fresh.block = std::clamp<std::size_t>(n / (4 * threads), 1, 256);
  const std::unique_ptr<OccupancyScratch> store = open_store(ps, options, fresh);
  const ScratchLayout layout = store->layout();
  const std::size_t block = layout.block, units = layout.units();
#if MORSIM_WITH_MPI
  mpi_population_begin(layout.blocks(), block);
#endif

  res.weight_kg.assign(n, std::numeric_limits<double>::quiet_NaN());
  res.parameters.assign(n * np, 0.0);
  res.arms.resize(na);
  for (std::size_t a = 0; a < na; ++a) {
    res.arms[a].name = ps.scenario.arms[ps.arms[a]].name;
    res.arms[a].subjects.resize(n);
  }
  const std::vector<unsigned char> done_before = store->done();
  std::uint64_t done = restore_done_units(*store, res);
  const ParameterSampler sampler(ps);

  std::atomic<std::size_t> next_unit{0};
  std::atomic<bool> failed{false};
  std::mutex lock;
  std::exception_ptr error;
  const auto worker = [&] {
    std::vector<float> antagonist(block * nt), agonist(block * nt);
    std::vector<SubjectOutcome> outcomes(block);
    std::vector<double> draws(block * (1 + np));
    for (;;) {
#if MORSIM_WITH_MPI
      const std::size_t unit = mpi_population_unit(next_unit++);  // this rank's units
#else
      const std::size_t unit = next_unit++;
#endif
      if (unit >= units || failed) return;
      if (done_before[unit] != 0) continue;  // from the checkpoint
      const std::size_t a = layout.unit_arm(unit), first = layout.unit_first(unit);
      const std::size_t count = layout.unit_count(unit);
      try {
        for (std::size_t k = 0; k < count; ++k) {
          const std::uint64_t subject = first + k;
          SubjectParameters drawn;
          const SubjectInArm in = subject_in_arm(ps, sampler, ps.arms[a], subject, drawn);
          outcomes[k] = simulate_subject(ps, in.spec, in.arm, res.band_t_h, &antagonist[k * nt],
                                         &agonist[k * nt]);
          res.arms[a].subjects[subject] = outcomes[k];
          if (a == 0) {  // the same draws in every arm
            res.weight_kg[subject] = drawn.weight_kg;
            std::copy(drawn.values.begin(), drawn.values.end(),
                      res.parameters.begin() + static_cast<std::ptrdiff_t>(subject * np));
            draws[k * (1 + np)] = drawn.weight_kg;
            std::copy(drawn.values.begin(), drawn.values.end(), &draws[k * (1 + np) + 1]);
          }
        }
        const std::lock_guard<std::mutex> g(lock);
        store->write_unit({unit, antagonist.data(), agonist.data(), outcomes.data(),
                           a == 0 ? draws.data() : nullptr});
        done += count;
        if (options.progress) options.progress(done, static_cast<std::uint64_t>(n * na));
      } catch (...) {
        const std::lock_guard<std::mutex> g(lock);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
#if MORSIM_WITH_MPI
  mpi_population_share(res, n, np, error != nullptr);  // every rank's subjects to every rank
#endif
  if (error) std::rethrow_exception(error);

  for (std::size_t a = 0; a < na; ++a) {
    res.arms[a].antagonist_bands = bands(*store, 2 * a, n, nt, res.percentiles);
    res.arms[a].agonist_bands = bands(*store, 2 * a + 1, n, nt, res.percentiles);
    res.arms[a].outcomes = summarise_outcomes(res.arms[a].subjects);
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return res;
}

}  // namespace morsim::population
