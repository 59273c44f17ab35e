// The sweep runner end to end: thread-count independence, failures recorded, resume.
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/metrics.hpp"
#include "io/h5_handle.hpp"
#include "io/h5_read.hpp"
#include "model/errors.hpp"
#include "solver/simulate.hpp"
#include "support/temp_dir.hpp"
#include "sweep/evaluator.hpp"
#include "sweep/runner.hpp"
#include "sweep/sweep_file.hpp"
#include "sweep/sweep_spec.hpp"

namespace fs = std::filesystem;
using namespace morsim;
using namespace morsim::sweep;

namespace {

using testing::TempDir;

// 3 challenge days x 3 doses, at a loose tolerance so that the test is fast. `extra` adds
// parameters (e.g. a depot dose that makes some scenarios fail).
std::string sweep_text(const std::string& extra = "") {
  return std::string("[sweep]\nbase = \"") + MORSIM_SOURCE_DIR +
         "/configs/sweeps/surmountability-base.toml\"\n"
         "arm = \"depot\"\nrtol = 1e-3\nwindow = \"24 h\"\n"
         "[challenge]\nformulation = \"heroin-iv\"\namount = \"25 mg\"\ntime = \"1 d\"\n" +
         extra +
         "[[parameter]]\npath = \"challenge.time\"\nvalues = [\"2 d\", \"9 d\", \"20 d\"]\n"
         "[[parameter]]\npath = \"challenge.amount\"\n"
         "range = { from = \"5 mg\", to = \"200 mg\", n = 3, scale = \"log\" }\n"
         "[[metric]]\nkind = \"peak_agonist_occupancy\"\n"
         "[[metric]]\nkind = \"blockade\"\n"
         "[[metric]]\nkind = \"coverage\"\nlevel = 0.9\nto = \"10 d\"\n"
         "[trajectories]\nstep = \"6 h\"\n";
}

SweepSpec load(const TempDir& dir, const std::string& text) {
  const std::string path = dir.file("sweep.toml");
  std::ofstream(path) << text;
  return load_sweep_file(path);
}

struct Contents {
  std::vector<double> params, metrics, traj;
  std::vector<std::int32_t> status;
  std::int64_t complete = 0;
  std::vector<std::int64_t> error_index;
};

Contents read(const std::string& path) {
  H5Id f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open");
  Contents c;
  c.params = read_doubles(f.get(), "/sweep/parameters");
  c.metrics = read_doubles(f.get(), "/sweep/metrics");
  if (has_link(f.get(), "/sweep/trajectories"))
    c.traj = read_doubles(f.get(), "/sweep/trajectories");
  c.status = read_ints(f.get(), "/sweep/status");
  c.complete = read_attr_int(f.get(), "complete");
  H5Id ds(H5Dopen2(f.get(), "/sweep/errors", H5P_DEFAULT), H5Dclose, "open errors");
  H5Id sp(H5Dget_space(ds.get()), H5Sclose, "space");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(sp.get(), &n, nullptr);
  c.error_index.resize(n);
  H5Id t(H5Tcreate(H5T_COMPOUND, sizeof(std::int64_t)), H5Tclose, "type");
  H5Tinsert(t.get(), "index", 0, H5T_NATIVE_INT64);
  if (n) H5Dread(ds.get(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, c.error_index.data());
  return c;
}

// Equal including NaN in the same places, bit for bit otherwise.
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

}  // namespace

TEST_CASE("sweep run: 1 and 2 threads write identical datasets", "[sweep]") {
  TempDir dir;
  const SweepSpec sw = load(dir, sweep_text());
  REQUIRE(sw.design->size() == 9);
  RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  one.block = two.block = 2;
  const RunSummary a = run_sweep(sw, dir.file("a.h5"), one);
  run_sweep(sw, dir.file("b.h5"), two);
  CHECK(a.done == 9);
  CHECK_FALSE(a.interrupted);
  const Contents ca = read(dir.file("a.h5")), cb = read(dir.file("b.h5"));
  CHECK(ca.complete == 1);
  CHECK(same(ca.params, cb.params));
  CHECK(same(ca.metrics, cb.metrics));
  CHECK(same(ca.traj, cb.traj));
  CHECK(ca.status == std::vector<std::int32_t>(9, 1));
  CHECK(ca.traj.size() == 9 * 5 * 2);
  // Row 0: day 2, 5 mg; the depot blocks a small dose more than a large one.
  CHECK(ca.params[0] == Approx(48.0));
  CHECK(ca.params[1] == Approx(5.0));
  CHECK(ca.metrics[0] < ca.metrics[2 * 3]);      // peak at 5 mg < at 200 mg (same day)
  CHECK(ca.metrics[1] > ca.metrics[2 * 3 + 1]);  // blockade at 5 mg > at 200 mg
  CHECK(ca.metrics[2] == ca.metrics[3 + 2]);     // coverage: a property of the depot alone
}

TEST_CASE("sweep run: a failing scenario is recorded and the rest complete", "[sweep]") {
  TempDir dir;
  // A negative depot dose is an invalid model: the scenarios with it fail, the others run.
  const SweepSpec sw = load(dir, sweep_text("[[parameter]]\npath = \"doses.depot.0.amount\"\n"
                                            "values = [\"380 mg\", \"-1 mg\"]\n"));
  REQUIRE(sw.design->size() == 18);
  RunOptions opt;
  opt.threads = 2;
  opt.block = 4;
  const RunSummary s = run_sweep(sw, dir.file("f.h5"), opt);
  CHECK(s.failed == 9);
  const Contents c = read(dir.file("f.h5"));
  CHECK(c.complete == 1);
  REQUIRE(c.error_index.size() == 9);
  for (std::size_t i = 0; i < 18; ++i) {
    CHECK(c.status[i] == (i < 9 ? 1 : 2));
    CHECK(std::isnan(c.metrics[i * 3]) == (i >= 9));
  }
  CHECK(c.error_index.front() == 9);
  CHECK(c.error_index.back() == 17);
}

TEST_CASE("sweep run: an interrupted sweep resumed equals a clean run", "[sweep]") {
  TempDir dir;
  const SweepSpec sw = load(dir, sweep_text("[[parameter]]\npath = \"doses.depot.0.amount\"\n"
                                            "values = [\"380 mg\", \"-1 mg\"]\n"));
  RunOptions clean;
  clean.threads = 2;
  clean.block = 3;
  run_sweep(sw, dir.file("clean.h5"), clean);

  RunOptions part = clean;
  part.limit = 7;  // stop taking blocks after 7 scenarios were started (3 blocks: 9 rows)
  const RunSummary p = run_sweep(sw, dir.file("r.h5"), part);
  CHECK(p.interrupted);
  const Contents mid = read(dir.file("r.h5"));
  CHECK(mid.complete == 0);
  CHECK(std::count(mid.status.begin(), mid.status.end(), 0) == 18 - 9);

  RunOptions resume = clean;
  resume.resume = true;
  resume.threads = 1;
  const RunSummary r = run_sweep(sw, dir.file("r.h5"), resume);
  CHECK(r.to_run == 9);
  CHECK_FALSE(r.interrupted);
  const Contents a = read(dir.file("clean.h5")), b = read(dir.file("r.h5"));
  CHECK(b.complete == 1);
  CHECK(same(a.params, b.params));
  CHECK(same(a.metrics, b.metrics));
  CHECK(same(a.traj, b.traj));
  CHECK(a.status == b.status);
  CHECK(a.error_index == b.error_index);

  // A different sweep text is refused.
  const SweepSpec other = load(dir, sweep_text() + "# changed\n");
  CHECK_THROWS_AS(run_sweep(other, dir.file("r.h5"), resume), OutputError);
}

TEST_CASE("sweep file: on disk when created, complete only when every row is", "[sweep]") {
  TempDir dir;
  const SweepSpec sw = load(dir, sweep_text());
  const std::string path = dir.file("c.h5");
  {
    SweepFile file = SweepFile::create(path, sw);
    // Readable by another handle while still open: the layout was flushed, under its name.
    const Contents fresh = read(path);
    CHECK(fresh.complete == 0);
    CHECK(fresh.status == std::vector<std::int32_t>(9, 0));
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir.path)) names.push_back(e.path().filename());
    CHECK(std::none_of(names.begin(), names.end(), [](const std::string& n) {
      return n.find(".partial") != std::string::npos;
    }));
    // One row never written: the check before `complete = 1` refuses.
    std::vector<double> params(8 * 2, 1.0), metrics(8 * 3, 1.0), traj(8 * 5 * 2, 1.0);
    const std::vector<std::int8_t> done(8, kDone);
    file.write_rows(0, 8, params.data(), metrics.data(), traj.data(), done.data());
    CHECK_THROWS_AS(file.close(true), OutputError);
  }
  const Contents c = read(path);
  CHECK(c.complete == 0);
  CHECK(std::count(c.status.begin(), c.status.end(), 1) == 8);
  // The same sweep is accepted for resuming, another is not (and the file is not changed).
  CHECK_NOTHROW(SweepFile::check_same_sweep(path, sw));
  const SweepSpec other = load(dir, sweep_text() + "# changed\n");
  CHECK_THROWS_AS(SweepFile::check_same_sweep(path, other), OutputError);
}

TEST_CASE("sweep file: unknown parameter paths name the line and the allowed paths", "[sweep]") {
  TempDir dir;
  const std::string bad = sweep_text("[[parameter]]\npath = \"naltrexone.kofff\"\nvalues = [1]\n");
  try {
    load(dir, bad);
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("sweep.toml:11:") != std::string::npos);
    CHECK(msg.find("no parameter 'kofff'") != std::string::npos);
    CHECK(msg.find("allowed:") != std::string::npos);
  }
  CHECK_THROWS_AS(load(dir, sweep_text("[[parameter]]\npath = \"naltrexone.koff\"\n"
                                       "values = [\"3 mg\"]\n")),
                  ConfigError);  // wrong dimension
}

TEST_CASE("sweep run: the cached prefix gives the same peak as a whole-arm simulation", "[sweep]") {
  TempDir dir;
  const SweepSpec sw = load(dir, sweep_text());
  Evaluator ev(sw);
  double p[2], m[3], traj[10];
  ev.evaluate(4, p, m, traj);  // day 9, 31.6 mg
  REQUIRE(p[0] == Approx(216.0));
  // The same challenge added to the arm and simulated from 0 with the usual simulator on the
  // same sample times after the challenge.
  ScenarioSpec spec = sw.base;
  spec.solver.rtol = sw.base.solver.rtol;
  DoseRecord d;
  d.formulation = "heroin-iv";
  d.amount_mg = p[1];
  d.time_h = p[0];
  spec.arms[sw.arm].doses.push_back(d);
  spec.grid.t_end_h = p[0] + 24.0;
  std::vector<double> times;
  for (int i = 0; i <= 720; ++i) times.push_back(p[0] + i * (0.5 / 60));
  const Trajectory tr = simulate_arm(spec, spec.arms[sw.arm], times);
  double peak = 0.0;
  for (std::size_t i = 0; i < tr.n_times(); ++i) peak = std::max(peak, tr.agonist_occupancy(i));
  CHECK(m[0] == Approx(peak).margin(2e-4));
}

TEST_CASE("sweep run: effect metrics equal the effect of whole-arm simulations", "[sweep]") {
  TempDir dir;
  std::string text = sweep_text();
  const std::string occupancy_metrics =
      "[[metric]]\nkind = \"peak_agonist_occupancy\"\n"
      "[[metric]]\nkind = \"blockade\"\n"
      "[[metric]]\nkind = \"coverage\"\nlevel = 0.9\nto = \"10 d\"\n";
  REQUIRE(text.find(occupancy_metrics) != std::string::npos);
  text.replace(text.find(occupancy_metrics), occupancy_metrics.size(),
               "[[metric]]\nkind = \"peak_agonist_effect\"\n"
               "[[metric]]\nkind = \"effect_blockade\"\n");
  const SweepSpec sw = load(dir, text);
  Evaluator ev(sw);
  double p[2], m[2], traj[10];
  ev.evaluate(4, p, m, traj);  // day 9, 31.6 mg
  DoseRecord d;
  d.formulation = "heroin-iv";
  d.amount_mg = p[1];
  d.time_h = p[0];
  std::vector<double> times;
  for (int i = 0; i <= 720; ++i) times.push_back(p[0] + i * (0.5 / 60));
  const auto peak_effect = [&](bool with_antagonist) {
    ScenarioSpec spec = sw.base;
    Arm arm = spec.arms[sw.arm];
    if (!with_antagonist) arm.doses.clear();
    arm.doses.push_back(d);
    spec.grid.t_end_h = p[0] + 24.0;
    const Trajectory tr = simulate_arm(spec, arm, times);
    return *std::max_element(tr.effect.begin(), tr.effect.end());
  };
  const double blocked = peak_effect(true), control = peak_effect(false);
  INFO("peak effect " << blocked << " with the depot, " << control << " without");
  CHECK(control > 0.5);  // 31.6 mg of heroin alone is a strong effect
  CHECK(m[0] == Approx(blocked).margin(2e-4));
  CHECK(m[1] == Approx(1.0 - blocked / control).margin(5e-4));
  CHECK(m[1] > 0.2);  // the calibrated depot on day 9 blocks about a third (docs/validation.md)
}

TEST_CASE("sweep run: a challenge from the cached prefix is the whole-arm run, number for number",
          "[sweep]") {
  // One challenge time, so the prefix stops only there, at the challenge dose, where a whole
  // run breaks too: the sweep's chained spans and simulate_arm then take the same steps
  // through the one event loop, and the metric is the same number.
  TempDir dir;
  const SweepSpec sw =
      load(dir, std::string("[sweep]\nbase = \"") + MORSIM_SOURCE_DIR +
                    "/configs/sweeps/surmountability-base.toml\"\n"
                    "arm = \"depot\"\nrtol = 1e-4\nwindow = \"24 h\"\n"
                    "[challenge]\nformulation = \"heroin-iv\"\namount = \"25 mg\"\ntime = \"9 d\"\n"
                    "[[parameter]]\npath = \"challenge.amount\"\nvalues = [\"10 mg\", \"40 mg\"]\n"
                    "[[metric]]\nkind = \"peak_agonist_occupancy\"\n");
  Evaluator ev(sw);
  for (std::uint64_t index : {0, 1}) {
    double p[1], m[1];
    ev.evaluate(index, p, m, nullptr);
    ScenarioSpec spec = sw.base;
    DoseRecord d;
    d.formulation = "heroin-iv";
    d.amount_mg = p[0];
    d.time_h = 216.0;
    spec.arms[sw.arm].doses.push_back(d);
    spec.grid.t_end_h = 216.0 + sw.window_h;
    // The sweep's own sample times after the challenge.
    std::vector<double> times;
    for (double o : ev.challenge_offsets_h()) times.push_back(216.0 + o);
    const Trajectory tr = simulate_arm(spec, spec.arms[sw.arm], times);
    std::vector<double> agonist;
    for (std::size_t i = 0; i < tr.n_times(); ++i) agonist.push_back(tr.agonist_occupancy(i));
    INFO("dose " << p[0] << " mg");
    CHECK(m[0] == series_peak(agonist));
    CHECK(m[0] > 0.01);
  }
}
