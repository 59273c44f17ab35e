// The HDF5 results file: round trip, attributes, refusal to overwrite, no partial files left;
// columns written a block at a time.
#include <hdf5.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/build_info.hpp"
#include "io/h5_handle.hpp"
#include "io/h5_read.hpp"
#include "io/h5_write.hpp"
#include "io/plot.hpp"
#include "io/results_file.hpp"
#include "model/errors.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace morsim;

namespace {

using testing::TempDir;

// Temporary files a writer left behind in `dir`.
std::vector<std::string> partial_files(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir.path))
    if (e.path().string().find(".partial") != std::string::npos) out.push_back(e.path());
  return out;
}

// Values chosen so that each table cell is distinct: a transposed or shifted read shows.
Trajectory sample_arm(const std::string& name, double offset) {
  Trajectory t;
  t.arm = name;
  t.compounds = {"heroin", "morphine", "naloxone"};
  t.is_agonist = {true, true, false};
  t.binds_receptor = {false, true, true};
  const std::size_t nt = 4, nk = 3;
  for (std::size_t i = 0; i < nt; ++i) {
    t.t_h.push_back(0.5 * static_cast<double>(i));
    for (std::size_t k = 0; k < nk; ++k) {
      const double cell = offset + 10.0 * static_cast<double>(i) + static_cast<double>(k);
      t.plasma_nM.push_back(cell);
      t.brain_nM.push_back(cell / 2);
      t.occupancy.push_back(cell / 1000);
    }
    t.free_receptor.push_back(1.0 - 0.01 * static_cast<double>(i));
    t.effect.push_back(0.02 * static_cast<double>(i));
  }
  t.doses = {{0.0, 0.0, "heroin", "heroin-iv", "iv", 10.0, DoseStatus::kTaken, false},
             {1.0, 1.25, "naloxone", "naloxone-in", "intranasal", 4.0, DoseStatus::kLate, false},
             {1.5, 1.5, "heroin", "heroin-iv", "iv", 10.0, DoseStatus::kMissed, true}};
  t.stats.steps = 42;
  t.stats.rejected_steps = 3;
  t.stats.rhs_evaluations = 1234;
  t.stats.jacobian_evaluations = 17;
  t.stats.segments = 4;
  return t;
}

ScenarioSpec sample_spec(const std::string& name = "io-test") {
  ScenarioSpec spec;
  spec.name = name;
  spec.config_text = "[scenario]\nname = \"" + name + "\"\n";
  spec.solver.method = SolverMethod::kDopri5;
  spec.solver.rtol = 1e-7;
  spec.solver.atol = 1e-10;
  return spec;
}

std::vector<Trajectory> sample_arms() { return {sample_arm("control", 0.0), sample_arm("b", 100)}; }

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct ReadOnlyFile {  // minimal access for attribute checks
  H5Id id;
  explicit ReadOnlyFile(const std::string& path)
      : id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path) {}
};

}  // namespace

TEST_CASE("results round-trip through write_results and read_arm", "[io]") {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  const auto arms = sample_arms();
  write_results(path, sample_spec(), arms, WriteOptions{});

  REQUIRE(list_arms(path) == std::vector<std::string>{"control", "b"});  // config order
  for (const Trajectory& expected : arms) {
    const Trajectory got = read_arm(path, expected.arm);
    CHECK(got.arm == expected.arm);
    CHECK(got.compounds == expected.compounds);
    // Only compounds that bind are listed as agonists; heroin (a prodrug here) reads back false.
    CHECK(got.is_agonist == std::vector<bool>{false, true, false});
    CHECK(got.binds_receptor == expected.binds_receptor);
    // Exact: doubles are stored as IEEE binary64 and read back bit for bit.
    CHECK(got.t_h == expected.t_h);
    CHECK(got.plasma_nM == expected.plasma_nM);
    CHECK(got.brain_nM == expected.brain_nM);
    CHECK(got.occupancy == expected.occupancy);
    CHECK(got.free_receptor == expected.free_receptor);
    CHECK(got.effect == expected.effect);
    REQUIRE(got.doses.size() == expected.doses.size());
    for (std::size_t i = 0; i < got.doses.size(); ++i) {
      CHECK(got.doses[i].applied_time_h == expected.doses[i].applied_time_h);
      CHECK(got.doses[i].intended_time_h == expected.doses[i].intended_time_h);
      CHECK(got.doses[i].compound == expected.doses[i].compound);
      CHECK(got.doses[i].formulation == expected.doses[i].formulation);
      CHECK(got.doses[i].route == expected.doses[i].route);
      CHECK(got.doses[i].amount_mg == expected.doses[i].amount_mg);
      CHECK(got.doses[i].status == expected.doses[i].status);
      CHECK(got.doses[i].steady_state == expected.doses[i].steady_state);
    }
    CHECK(got.stats.steps == 42);
    CHECK(got.stats.rejected_steps == 3);
    CHECK(got.stats.rhs_evaluations == 1234);
    CHECK(got.stats.jacobian_evaluations == 17);
    CHECK(got.stats.segments == 4);
  }
  CHECK_THROWS_AS(read_arm(path, "absent"), OutputError);
}

TEST_CASE("results file carries provenance attributes and units on every dataset", "[io]") {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  WriteOptions opts;
  opts.config_path = "configs/x.toml";
  opts.extra_attributes = {{"command", "morsim run configs/x.toml"}};
  write_results(path, sample_spec("provenance"), sample_arms(), opts);

  ReadOnlyFile f(path);
  const hid_t root = f.id.get();
  CHECK(read_attr_string(root, "filetype") == "morsim-results");
  CHECK(read_attr_int(root, "format_version") == kResultsFormatVersion);
  CHECK(read_attr_string(root, "morsim_version") == MORSIM_VERSION);
  CHECK(read_attr_string(root, "git_sha") == morsim_git_sha());
  const std::string created = read_attr_string(root, "created_utc");
  CHECK(created.size() == 20);  // 2024-01-31T12:00:00Z
  CHECK(created.back() == 'Z');
  CHECK(read_attr_string(root, "config") == "[scenario]\nname = \"provenance\"\n");
  CHECK(read_attr_string(root, "config_path") == "configs/x.toml");
  CHECK(read_attr_string(root, "scenario") == "provenance");
  CHECK(read_attr_string(root, "solver") == "dopri5");
  CHECK(read_attr_double(root, "rtol") == 1e-7);
  CHECK(read_attr_double(root, "atol") == 1e-10);
  CHECK(read_attr_string(root, "binding_mode") == "kinetic");
  CHECK(read_attr_string(root, "command") == "morsim run configs/x.toml");

  H5Id arm(H5Gopen2(root, "control", H5P_DEFAULT), H5Gclose, "open control");
  CHECK(read_attr_string(arm.get(), "arm") == "control");
  CHECK(read_attr_strings(arm.get(), "agonists") == std::vector<std::string>{"morphine"});
  CHECK(read_attr_strings(arm.get(), "antagonists") == std::vector<std::string>{"naloxone"});
  CHECK(read_attr_int(arm.get(), "solver_steps") == 42);
  for (const char* name : {"time", "compound", "plasma", "brain", "occupancy", "free_receptor",
                           "effect", "doses/dose", "doses/time_h", "doses/status"}) {
    INFO(name);
    H5Id ds(H5Dopen2(arm.get(), name, H5P_DEFAULT), H5Dclose, name);
    CHECK(has_attr(ds.get(), "units"));
    CHECK(has_attr(ds.get(), "long_name"));
  }
  H5Id plasma(H5Dopen2(arm.get(), "plasma", H5P_DEFAULT), H5Dclose, "plasma");
  CHECK(read_attr_string(plasma.get(), "units") == "nM");
  CHECK(has_attr(plasma.get(), "DIMENSION_LIST"));  // dimension scales attached
}

TEST_CASE("an existing results file is not overwritten without force", "[io]") {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  write_results(path, sample_spec("first"), sample_arms(), WriteOptions{});
  const std::string before = file_bytes(path);

  try {
    write_results(path, sample_spec("second"), sample_arms(), WriteOptions{});
    FAIL("expected OutputError");
  } catch (const OutputError& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains(path));
    CHECK_THAT(what, Catch::Contains("--force"));
  }
  CHECK(file_bytes(path) == before);
  CHECK(partial_files(dir).empty());

  WriteOptions force;
  force.force = true;
  write_results(path, sample_spec("second"), sample_arms(), force);
  ReadOnlyFile f(path);
  CHECK(read_attr_string(f.id.get(), "scenario") == "second");
  CHECK(partial_files(dir).empty());
}

TEST_CASE("failed writes throw OutputError and leave no partial file", "[io]") {
  TempDir dir;
  SECTION("target folder does not exist") {
    CHECK_THROWS_AS(write_results(dir.file("missing/out.h5"), sample_spec(), sample_arms(), {}),
                    OutputError);
  }
  SECTION("malformed trajectory") {
    auto arms = sample_arms();
    arms[1].occupancy.pop_back();
    CHECK_THROWS_WITH(write_results(dir.file("out.h5"), sample_spec(), arms, {}),
                      Catch::Contains("occupancy"));
    CHECK_FALSE(fs::exists(dir.file("out.h5")));
  }
  SECTION("duplicate arm names") {
    auto arms = sample_arms();
    arms[1].arm = "control";
    CHECK_THROWS_AS(write_results(dir.file("out.h5"), sample_spec(), arms, {}), OutputError);
    CHECK_FALSE(fs::exists(dir.file("out.h5")));
  }
  SECTION("reserved extra attribute") {
    WriteOptions opts;
    opts.extra_attributes = {{"scenario", "clash"}};
    CHECK_THROWS_AS(write_results(dir.file("out.h5"), sample_spec(), sample_arms(), opts),
                    OutputError);
    CHECK_FALSE(fs::exists(dir.file("out.h5")));
  }
  CHECK(partial_files(dir).empty());
}

TEST_CASE("reading something that is not a results file is an OutputError", "[io]") {
  TempDir dir;
  CHECK_THROWS_AS(list_arms(dir.file("absent.h5")), OutputError);
  std::ofstream(dir.file("text.h5")) << "not hdf5";
  CHECK_THROWS_AS(list_arms(dir.file("text.h5")), OutputError);
}

TEST_CASE("plot_results refuses an existing figure and unknown formats before running", "[io]") {
  TempDir dir;
  const std::string results = dir.file("out.h5");
  write_results(results, sample_spec(), sample_arms(), WriteOptions{});
  const std::string figure = dir.file("fig.png");
  std::ofstream(figure) << "existing";
  CHECK_THROWS_WITH(plot_results(results, figure, PlotOptions{}), Catch::Contains("--force"));
  CHECK(file_bytes(figure) == "existing");
  CHECK_THROWS_WITH(plot_results(results, dir.file("fig.bmp"), PlotOptions{}),
                    Catch::Contains("format"));
  CHECK(partial_files(dir).empty());
}

TEST_CASE("plot_results renders a PNG via the embedded script", "[io][python]") {
  if (access("/usr/bin/python3", X_OK) != 0) {
    WARN("no /usr/bin/python3; skipped");
    return;
  }
  TempDir dir;
  const std::string results = dir.file("out.h5");
  write_results(results, sample_spec(), sample_arms(), WriteOptions{});
  const std::string figure = dir.file("fig.png");
  PlotOptions opts;
  opts.arms = {"b"};
  opts.title = "-a title that looks like an option";
  plot_results(results, figure, opts);
  CHECK(file_bytes(figure).substr(0, 8) == "\x89PNG\r\n\x1a\n");
  CHECK(partial_files(dir).empty());

  opts.arms = {"absent"};
  opts.force = true;
  CHECK_THROWS_WITH(plot_results(results, figure, opts), Catch::Contains("no arm named absent"));
  CHECK(partial_files(dir).empty());
}

TEST_CASE("a growing column holds every appended block, in order, across chunk boundaries",
          "[io]") {
  TempDir dir;
  const std::string path = dir.file("grow.h5");
  // Blocks of 3, 0, 70000 (more than one chunk of 65536) and 5 values: each value its index.
  const std::vector<std::size_t> blocks{3, 0, 70000, 5};
  std::size_t total = 0;
  {
    H5Id file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create");
    GrowingColumn<double> x(file.get(), "x", "h", "a column");
    GrowingColumn<std::int32_t> k(file.get(), "k", "1", "its index");
    GrowingColumn<std::int8_t> m(file.get(), "m", "1", "index mod 3");
    for (std::size_t b : blocks) {
      std::vector<double> xs;
      std::vector<std::int32_t> ks;
      std::vector<std::int8_t> ms;
      for (std::size_t i = 0; i < b; ++i, ++total) {
        xs.push_back(0.5 * static_cast<double>(total));
        ks.push_back(static_cast<std::int32_t>(total));
        ms.push_back(static_cast<std::int8_t>(total % 3));
      }
      x.append(xs);
      k.append(ks);
      m.append(ms);
    }
    CHECK(x.size() == total);
    write_attr(m.id().get(), "flag_values", std::vector<std::int8_t>{0, 1, 2});
  }
  REQUIRE(total == 70008);
  H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open");
  std::vector<hsize_t> dims;
  const std::vector<double> x = read_doubles(file.get(), "x", &dims);
  REQUIRE(dims == std::vector<hsize_t>{total});
  const std::vector<std::int32_t> k = read_ints(file.get(), "k");
  const std::vector<double> m = read_doubles(file.get(), "m");
  REQUIRE(k.size() == total);
  REQUIRE(m.size() == total);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < total; ++i)
    wrong += x[i] != 0.5 * static_cast<double>(i) || k[i] != static_cast<std::int32_t>(i) ||
             m[i] != static_cast<double>(i % 3);
  CHECK(wrong == 0);
  H5Id xs(H5Dopen2(file.get(), "x", H5P_DEFAULT), H5Dclose, "open x");
  CHECK(read_attr_string(xs.get(), "units") == "h");
}
