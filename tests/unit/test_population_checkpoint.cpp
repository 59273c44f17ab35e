// The population checkpoint: a run resumed from a checkpoint whose done mask lost some units
// (as after a kill) equals an uninterrupted run, and a checkpoint of another run is refused.
#include <hdf5.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "config/load_scenario.hpp"
#include "model/errors.hpp"
#include "population/occupancy_scratch.hpp"
#include "population/population_runner.hpp"

using namespace morsim;
using namespace morsim::population;

namespace {

// One week of daily tablets, random heroin use, variability and adherence; built-in models.
const std::string kConfig = R"(
[scenario]
name = "test-checkpoint"
use = ["heroin", "heroin-iv", "naltrexone-oral-50mg"]
[output]
start = "0 h"
end = "7 d"
step = "2 h"
[solver]
rtol = 1e-3
atol = 1e-5
[[arm]]
name = "oral"
[[arm.dose]]
formulation = "naltrexone-oral-50mg"
amount = "50 mg"
time = "0 h"
addl = 6
interval = "24 h"
[[arm]]
name = "none"
[population]
subjects = 10
seed = 5
[[variability]]
parameter = "naltrexone.clearance"
cv = 0.4
[weight]
cv = 0.2
[[adherence]]
arm = "oral"
formulation = "naltrexone-oral-50mg"
p_take = 0.7
[heroin]
pattern = "poisson"
formulation = "heroin-iv"
uses_per_week = 3
amount = { median = "25 mg", cv = 0.5 }
)";

// Marks `units` as not done, as if the run had been killed before finishing them.
void forget_units(const std::string& path, const std::vector<std::size_t>& units) {
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(f >= 0);
  const hid_t ds = H5Dopen2(f, "done", H5P_DEFAULT);
  const hid_t space = H5Dget_space(ds);
  std::vector<unsigned char> done(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Sclose(space);
  REQUIRE(H5Dread(ds, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, done.data()) >= 0);
  for (std::size_t u : units) done.at(u) = 0;
  REQUIRE(H5Dwrite(ds, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, done.data()) >= 0);
  H5Dclose(ds);
  H5Fclose(f);
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

void check_equal(const PopulationResult& a, const PopulationResult& b) {
  REQUIRE(a.arms.size() == b.arms.size());
  CHECK(a.parameters == b.parameters);
  for (std::size_t s = 0; s < a.weight_kg.size(); ++s) CHECK(same(a.weight_kg[s], b.weight_kg[s]));
  for (std::size_t k = 0; k < a.arms.size(); ++k) {
    CHECK(a.arms[k].antagonist_bands == b.arms[k].antagonist_bands);
    CHECK(a.arms[k].agonist_bands == b.arms[k].agonist_bands);
    for (std::size_t s = 0; s < a.arms[k].subjects.size(); ++s) {
      const SubjectOutcome &x = a.arms[k].subjects[s], &y = b.arms[k].subjects[s];
      CHECK(same(x.protected_day_fraction, y.protected_day_fraction));
      CHECK(same(x.doses_taken_fraction, y.doses_taken_fraction));
      CHECK(x.heroin_uses == y.heroin_uses);
      CHECK(x.rewarding_uses == y.rewarding_uses);
      CHECK(same(x.first_unblocked_use_h, y.first_unblocked_use_h));
    }
  }
}

}  // namespace

TEST_CASE("a resumed checkpoint gives the uninterrupted result", "[population]") {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("morsim-checkpoint-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "pop.h5.checkpoint").string();
  const PopulationSpec ps = load_population_text(kConfig, "test.toml", EmbeddedLibrary());
  PopulationOptions plain;
  plain.threads = 1;
  const PopulationResult reference = run_population(ps, plain);

  PopulationOptions first = plain;
  first.block = 3;  // 4 blocks x 2 arms = 8 units
  first.checkpoint_path = path;
  check_equal(run_population(ps, first), reference);
  REQUIRE(fs::exists(path));         // kept: the caller removes it after committing the result
  forget_units(path, {0, 2, 5, 7});  // both arms, the last (short) block included

  PopulationOptions resume = plain;
  resume.threads = 2;  // the checkpoint's block size is kept whatever the threads
  resume.checkpoint_path = path;
  resume.resume = true;
  check_equal(run_population(ps, resume), reference);
  CHECK(inspect_checkpoint(path, run_identity(ps)).done == 8);

  PopulationSpec other = ps;
  other.seed = 6;
  CHECK(inspect_checkpoint(path, run_identity(other)).mismatch.find("seeds differ") == 0);
  CHECK_THROWS_AS(run_population(other, resume), OutputError);
  fs::remove_all(dir);
}
