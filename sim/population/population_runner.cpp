// Work units are (arm, block of subjects), run on the worker pool sweeps use (parallel/); this
// thread takes each finished unit (occupancy rows, outcomes, draws) in order and writes it to
// the scratch file or checkpoint, keeping the outcomes in preallocated slots too. A resumed run
// skips the units the checkpoint holds; under MPI a rank runs its contiguous share of the
// units. Bands are computed afterwards, a block of time points at a time.
#include "population/population_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <thread>

#include "model/errors.hpp"
#include "parallel/ordered_pool.hpp"
#include "population/mpi_population.hpp"
#include "population/occupancy_scratch.hpp"
#include "population/percentiles.hpp"

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
    mpi_population_merge_columns(block.data(), series / 2, n, m);  // other ranks' subjects
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
  const parallel::Share mine = mpi_population_begin(units, layout.blocks(), block);

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

  // This rank's units that the checkpoint does not hold, in order.
  std::vector<std::size_t> todo;
  for (std::size_t unit = mine.begin; unit < mine.end; ++unit)
    if (done_before[unit] == 0) todo.push_back(unit);
  struct UnitRows {
    std::size_t unit = 0, count = 0;
    std::vector<float> antagonist, agonist;
    std::vector<SubjectOutcome> outcomes;
    std::vector<SubjectParameters> drawn;  // the first arm's units only
  };
  const auto make_work = [&]() -> parallel::OrderedPool<UnitRows>::Work {
    return [&](std::size_t pos) {
      UnitRows u;
      u.unit = todo[pos];
      const std::size_t a = layout.unit_arm(u.unit), first = layout.unit_first(u.unit);
      u.count = layout.unit_count(u.unit);
      u.antagonist.resize(u.count * nt);
      u.agonist.resize(u.count * nt);
      u.outcomes.resize(u.count);
      for (std::size_t k = 0; k < u.count; ++k) {
        SubjectParameters drawn;
        const SubjectInArm in = subject_in_arm(ps, sampler, ps.arms[a], first + k, drawn);
        u.outcomes[k] = simulate_subject(ps, in.spec, in.arm, res.band_t_h, &u.antagonist[k * nt],
                                         &u.agonist[k * nt]);
        if (a == 0) u.drawn.push_back(std::move(drawn));  // the same draws in every arm
      }
      return u;
    };
  };
  std::exception_ptr error;
  {
    parallel::OrderedPool<UnitRows> pool(todo.size(), threads,
                                         4 * static_cast<std::size_t>(threads), make_work);
    std::vector<UnitRows> ready;
    std::vector<double> draws;
    try {
      for (bool finished = false; !finished;) {
        ready.clear();
        finished = pool.take(ready, std::chrono::milliseconds(200));
        for (const UnitRows& u : ready) {
          const std::size_t a = layout.unit_arm(u.unit), first = layout.unit_first(u.unit);
          std::copy(u.outcomes.begin(), u.outcomes.end(), res.arms[a].subjects.begin() + first);
          draws.assign(u.drawn.size() * (1 + np), 0.0);
          for (std::size_t k = 0; k < u.drawn.size(); ++k) {
            const SubjectParameters& d = u.drawn[k];
            res.weight_kg[first + k] = d.weight_kg;
            std::copy(d.values.begin(), d.values.end(),
                      res.parameters.begin() + static_cast<std::ptrdiff_t>((first + k) * np));
            draws[k * (1 + np)] = d.weight_kg;
            std::copy(d.values.begin(), d.values.end(), &draws[k * (1 + np) + 1]);
          }
          store->write_unit({u.unit, u.antagonist.data(), u.agonist.data(), u.outcomes.data(),
                             a == 0 ? draws.data() : nullptr});
          done += u.count;
          if (options.progress) options.progress(done, static_cast<std::uint64_t>(n * na));
        }
      }
    } catch (...) {  // a write that failed: stop the workers, then fail with the other ranks
      error = std::current_exception();
    }
    pool.join(error != nullptr);
    if (!error && pool.failed()) {
      try {
        pool.rethrow();
      } catch (...) {
        error = std::current_exception();
      }
    }
  }
  mpi_population_share(res, n, np, error != nullptr);  // every rank's subjects to every rank
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
