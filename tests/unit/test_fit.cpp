// `morsim fit`: the statistics against closed forms, recovery of known parameters from noisy
// synthetic data with honest standard errors, bounds, identifiability, --check, and every kind
// of bad input with its file, line and key. Fixtures: tests/data/fit (make_fixtures.py).
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "config/load_scenario.hpp"
#include "fit/cached_library.hpp"
#include "fit/dataset_csv.hpp"
#include "fit/estimate.hpp"
#include "fit/fit_report.hpp"
#include "fit/fit_spec.hpp"
#include "fit/observables.hpp"
#include "model/errors.hpp"
#include "solver/simulate.hpp"
#include "support/temp_dir.hpp"
#include "units/units.hpp"

using namespace morsim;
using namespace morsim::fit;
namespace fs = std::filesystem;

namespace {

const fs::path kFitData = fs::path(MORSIM_TEST_DATA_DIR) / "fit";

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p);
  out << text;
}

// The 1-based line of the first occurrence of `needle` in `text`.
int line_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// `text` with the first `from` replaced by `to` (which must be there).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The fixtures copied into a fresh folder, where tests may write mutated versions.
struct Fixture {
  morsim::testing::TempDir dir;
  Fixture() {
    for (const auto& e : fs::directory_iterator(kFitData))
      if (e.is_regular_file()) fs::copy_file(e.path(), dir.path / e.path().filename());
  }
  std::string path(const std::string& name) const { return dir.file(name); }
  std::string text(const std::string& name) const { return read(dir.path / name); }
  std::string put(const std::string& name, const std::string& text) const {
    write(dir.path / name, text);
    return dir.file(name);
  }
};

ConfigError load_error(const std::string& path, const std::vector<std::string>& set = {}) {
  try {
    load_fit_file(path, set);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("no ConfigError for " << path);
  throw std::logic_error("unreachable");
}

void check_message(const ConfigError& e, const std::string& file, int line, const std::string& key,
                   const std::vector<std::string>& parts) {
  INFO(e.what());
  CHECK(e.file() == file);
  CHECK(e.line() == line);
  CHECK(e.key() == key);
  for (const std::string& p : parts) CHECK_THAT(e.what(), Catch::Contains(p));
}

// Closed forms of onecpt.toml: V 50 L, CL 10 L/h (k 0.2 /h), F 0.6, ka 1.5 /h, MW 300 g/mol.
constexpr double kV = 50, kK = 0.2, kF = 0.6, kKa = 1.5, kMw = 300;
constexpr double kIvNmol = 1e6 / kMw, kOralNmol = 2e6 / kMw;  // 1 mg IV, 2 mg oral
double iv_nM(double t) { return kIvNmol / kV * std::exp(-kK * t); }
double oral_nM(double t) {
  return kF * kOralNmol * kKa / (kV * (kKa - kK)) * (std::exp(-kK * t) - std::exp(-kKa * t));
}
double bisect(const std::function<double(double)>& f, double a, double b) {
  for (int i = 0; i < 200; ++i) {
    const double m = 0.5 * (a + b);
    ((f(a) < 0) == (f(m) < 0) ? a : b) = m;
  }
  return 0.5 * (a + b);
}

}  // namespace

TEST_CASE("fit: window statistics match the closed forms of a one-compartment model", "[fit]") {
  Fixture fx;
  // One dataset per statistic; observed values are placeholders, only the model is compared.
  const std::string scen =
      "scenario = \"onecpt.toml\"\nquantity = \"plasma\"\ncompounds = [\"drug\"]\n";
  const auto stat = [&](const std::string& name, const std::string& arm, const std::string& kind,
                        const std::string& unit, const std::string& extra) {
    fx.put(name + ".csv", "group,value,sd\n," + unit + "," + unit + "\n" + arm + ",1,1\n");
    return "[[dataset]]\nname = \"" + name + "\"\nfile = \"" + name + ".csv\"\n" + scen +
           "statistic = \"" + kind + "\"\n" + extra + "\n";
  };
  std::string text =
      "[fit]\nname = \"stats\"\n[[parameter]]\npath = \"drug.central_volume\"\ninitial = \"50 "
      "L\"\n";
  text += stat("peak", "oral", "peak", "nM", "");
  text += stat("tmax", "oral", "time_of_peak", "h", "");
  text += stat("rise", "oral", "rise_to_half_peak", "h", "");
  text += stat("fall", "oral", "fall_to_half_peak", "h", "");
  text += stat("auc", "oral", "auc", "nM*h", "window = [\"2 h\", \"20 h\"]");
  text += stat("ratio", "oral", "auc_ratio", "1", "reference_arm = \"iv\"");
  text += stat("half", "iv", "half_life", "min", "window = [\"1 h\", \"24 h\"]");
  text += stat("ivpeak", "iv", "peak", "ng/mL", "");
  const FitSpec spec = load_fit_file(fx.put("stats.toml", text));
  const CheckResult c = check(spec, 1);
  REQUIRE(c.datasets.size() == 8);
  const auto model = [&](std::size_t i) { return c.datasets[i].model[0]; };

  const double tmax = std::log(kKa / kK) / (kKa - kK);
  const double cmax = oral_nM(tmax);
  CHECK(model(0) == Approx(cmax).epsilon(1e-6));
  CHECK(model(1) == Approx(tmax).epsilon(1e-4));
  const double rise = bisect([&](double t) { return oral_nM(t) - cmax / 2; }, 0, tmax);
  const double fall = bisect([&](double t) { return oral_nM(t) - cmax / 2; }, tmax, 24) - tmax;
  CHECK(model(2) == Approx(rise).epsilon(1e-4));
  CHECK(model(3) == Approx(fall).epsilon(1e-4));
  const auto oral_integral = [&](double t) {  // antiderivative of oral_nM
    return kF * kOralNmol * kKa / (kV * (kKa - kK)) *
           (-std::exp(-kK * t) / kK + std::exp(-kKa * t) / kKa);
  };
  CHECK(model(4) == Approx(oral_integral(20) - oral_integral(2)).epsilon(1e-5));
  const double iv_auc = kIvNmol / kV * (1 - std::exp(-kK * 24)) / kK;
  CHECK(model(5) == Approx((oral_integral(24) - oral_integral(0)) / iv_auc).epsilon(1e-5));
  CHECK(model(6) == Approx(std::log(2.0) / kK * 60).epsilon(1e-6));  // in min
  CHECK(model(7) == Approx(iv_nM(0) * kMw / 1000).epsilon(1e-9));    // ng/mL at the bolus
}

TEST_CASE("fit: the CSV reader converts units, weights and groups", "[fit]") {
  Fixture fx;
  const std::string csv = fx.put("d.csv",
                                 "\xEF\xBB\xBF# a comment line, then blank lines\n\n"
                                 "time, group, value, sd, sem, n\n"
                                 "min,,ng/mL,ug/L,ng/mL,\n"
                                 "30,oral,3,0.8,,4\n"
                                 "# another comment\n"
                                 "60,\"iv\",6,,0.5,\n"
                                 "90,oral,9,1.2,0.25,9\n");
  const CsvTable t = read_csv(csv);
  CHECK(t.header_line == 3);
  CHECK(t.units_line == 4);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[1].line == 7);
  CsvRules r;
  r.quantity = Quantity::kPlasma;
  r.statistic = Statistic::kValue;
  r.molar_mass = 300;
  r.arms = {"iv", "oral"};
  r.dataset = "d";
  r.t_end_h = 24;
  const CsvData d = read_observations(t, r);
  CHECK(d.value_unit == "ng/mL");
  CHECK(d.value_scale == Approx(1e3 / 300));  // nM per ng/mL
  REQUIRE(d.rows.size() == 3);
  CHECK(d.rows[0].time_h == Approx(0.5));
  CHECK(d.rows[0].arm == 1);
  CHECK(d.rows[1].arm == 0);
  CHECK(d.rows[0].sigma == Approx(0.8 / 2));  // sd / sqrt(n), ug/L = ng/mL
  CHECK(d.rows[1].sigma == Approx(0.5));      // sem
  CHECK(d.rows[2].sigma == Approx(0.25));     // sem wins over sd
  // Percent occupancy: the value's unit is kept, and reads as a fraction inside.
  CHECK(value_unit_scale("%", Quantity::kOccupancy, Statistic::kValue, 0) == Approx(0.01));
  CHECK(value_unit_scale("", Quantity::kEffect, Statistic::kPeak, 0) == 1.0);
  CHECK(value_unit_scale("d", Quantity::kOccupancy, Statistic::kAuc, 0) == Approx(24));
  CHECK(value_unit_scale("ng*h/mL", Quantity::kPlasma, Statistic::kAuc, 300) == Approx(1e3 / 300));
  CHECK(value_unit_scale("min", Quantity::kPlasma, Statistic::kHalfLife, 300) == Approx(1.0 / 60));
  CHECK_THROWS_AS(value_unit_scale("h", Quantity::kPlasma, Statistic::kValue, 300), UnitError);
  CHECK_THROWS_AS(value_unit_scale("nM", Quantity::kOccupancy, Statistic::kValue, 0), UnitError);
}

namespace {

struct TrueData {
  std::vector<double> iv_t{0.25, 0.5, 1, 2, 4, 8, 12, 24}, oral_t{0.5, 1, 2, 3, 4, 6, 8, 12, 24},
      occ_t{0.5, 1, 2, 4, 6, 8, 12, 24};
  std::vector<double> iv, oral, occ;  // plasma nM, plasma nM, occupancy fraction
};

// The truth simulated outside the fit code: the scenario file at its own values.
TrueData simulate_truth() {
  const ScenarioSpec s = load_scenario_file((kFitData / "onecpt.toml").string());
  TrueData d;
  const Trajectory iv = simulate_arm(s, s.arms[0], d.iv_t);
  const Trajectory oral = simulate_arm(s, s.arms[1], d.oral_t);
  const Trajectory occ = simulate_arm(s, s.arms[1], d.occ_t);
  for (std::size_t i = 0; i < d.iv_t.size(); ++i) d.iv.push_back(iv.plasma(i, 0));
  for (std::size_t i = 0; i < d.oral_t.size(); ++i) d.oral.push_back(oral.plasma(i, 0));
  for (std::size_t i = 0; i < d.occ_t.size(); ++i) d.occ.push_back(occ.occ(i, 0));
  return d;
}

// The three-parameter fit of onecpt-fit.toml on freshly drawn data; plasma in nM with 10 % CV
// (log scale), occupancy as a fraction with sd 0.03.
std::string noisy_fit_file(const Fixture& fx, const TrueData& truth, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  std::ostringstream p, o;
  p.precision(10);
  o.precision(10);
  p << "time,group,value,sd\nh,,nM,nM\n";
  for (std::size_t i = 0; i < truth.iv_t.size(); ++i) {
    const double v = truth.iv[i] * std::exp(0.1 * z(rng));
    p << truth.iv_t[i] << ",iv," << v << "," << 0.1 * v << "\n";
  }
  for (std::size_t i = 0; i < truth.oral_t.size(); ++i) {
    const double v = truth.oral[i] * std::exp(0.1 * z(rng));
    p << truth.oral_t[i] << ",oral," << v << "," << 0.1 * v << "\n";
  }
  o << "time,value\nh,1\n";
  for (std::size_t i = 0; i < truth.occ_t.size(); ++i)
    o << truth.occ_t[i] << "," << truth.occ[i] + 0.03 * z(rng) << "\n";
  fx.put("plasma-noisy.csv", p.str());
  fx.put("occupancy-noisy.csv", o.str());
  std::string text = fx.text("onecpt-fit.toml");
  text = replaced(text, "file = \"plasma.csv\"", "file = \"plasma-noisy.csv\"");
  text = replaced(text, "file = \"occupancy.csv\"", "file = \"occupancy-noisy.csv\"\nsigma = 0.03");
  return fx.put("noisy.toml", text);
}

}  // namespace

TEST_CASE("fit: recovers known parameters from noisy data with honest standard errors",
          "[fit][recovery]") {
  Fixture fx;
  const TrueData truth = simulate_truth();
  const std::vector<double> true_values{10, 50, 1};  // CL L/h, V L, ke0 /h
  constexpr int kSeeds = 30;
  int within1 = 0, within3 = 0, trials = 0;
  double chi2 = 0;
  EstimateOptions opt;
  opt.threads = 2;
  opt.curves = false;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const FitSpec spec = load_fit_file(noisy_fit_file(fx, truth, static_cast<unsigned>(seed)));
    const FitResult r = estimate(spec, opt);
    INFO("seed " << seed << ": " << r.termination << " " << r.message);
    REQUIRE(r.converged);
    REQUIRE(r.not_identified.empty());
    chi2 += r.reduced_chi_square;
    for (std::size_t i = 0; i < 3; ++i) {
      const ParameterEstimate& e = r.parameters[i];
      REQUIRE(e.standard_error > 0);
      const double z = std::abs(e.estimate - true_values[i]) / e.standard_error;
      within1 += z <= 1;
      within3 += z <= 3;
      ++trials;
    }
  }
  const double f1 = static_cast<double>(within1) / trials;
  const double f3 = static_cast<double>(within3) / trials;
  INFO("within 1 SE: " << f1 << ", within 3 SE: " << f3 << ", mean reduced chi-square "
                       << chi2 / kSeeds);
  // 90 trials at p = 0.683 have a binomial sd of 0.05: [0.45, 0.90] is a 4-sd band.
  CHECK(f1 >= 0.45);
  CHECK(f1 <= 0.90);
  CHECK(f3 >= 0.95);
  // 22 degrees of freedom: the mean of 30 reduced chi-squares has an sd of about 0.055.
  CHECK(chi2 / kSeeds == Approx(1.0).margin(0.2));
}

TEST_CASE("fit: an optimum outside the bounds ends on the bound, never beyond", "[fit]") {
  Fixture fx;
  // The data say CL 10 L/h and V 50 L; the bounds allow at most 8 L/h and at least 60 L.
  std::string text = fx.text("onecpt-fit.toml");
  text = replaced(text, "upper = \"100 L/h\"", "upper = \"8 L/h\"");
  text =
      replaced(text, "initial = \"80 L\"\nlower = \"5 L\"", "initial = \"80 L\"\nlower = \"60 L\"");
  text = replaced(
      text, "initial = \"0.3 /h\"\nlower = \"0.01 /h\"\nupper = \"20 /h\"\nscale = \"log\"",
      "initial = \"0.3 /h\"\nlower = \"0.01 /h\"\nupper = \"20 /h\"\nscale = \"linear\"");
  const FitSpec spec = load_fit_file(fx.put("bounded.toml", text));
  EstimateOptions opt;
  opt.threads = 2;
  const FitResult r = estimate(spec, opt);
  INFO(format_estimates(spec, r));
  REQUIRE(r.termination != "FAILURE");
  CHECK(r.parameters[0].estimate <= 8.0);
  CHECK(r.parameters[0].estimate == Approx(8.0).epsilon(1e-12));
  CHECK(r.parameters[0].at_bound);
  CHECK(r.parameters[1].estimate >= 60.0);
  CHECK(r.parameters[1].estimate == Approx(60.0).epsilon(1e-12));
  CHECK(r.parameters[1].at_bound);
  CHECK_FALSE(r.parameters[2].at_bound);
  CHECK(r.parameters[2].estimate > 0.01);
  CHECK(r.parameters[2].estimate < 20);
  // The objective cannot beat the unbounded fit, and is far above it.
  const FitResult free = estimate(load_fit_file(fx.path("onecpt-fit.toml")), opt);
  CHECK(r.objective > free.objective * 1.5);
}

TEST_CASE("fit: parameters the data do not determine are named, with no standard error", "[fit]") {
  Fixture fx;
  EstimateOptions opt;
  opt.threads = 2;
  opt.curves = false;
  SECTION("a parameter the observed quantity does not depend on") {
    // Occupancy does not depend on the transducer slope (it shapes the effect only).
    const std::string text = fx.text("onecpt-fit.toml") +
                             "\n[[parameter]]\npath = \"receptor.transducer_slope\"\n"
                             "initial = 1\nlower = 0.2\nupper = 5\n";
    const FitSpec spec = load_fit_file(fx.put("slope.toml", text));
    const FitResult r = estimate(spec, opt);
    REQUIRE(r.not_identified == std::vector<std::string>{"receptor.transducer_slope"});
    CHECK_FALSE(r.parameters[3].identified);
    CHECK(std::isnan(r.parameters[3].standard_error));
    CHECK(std::isnan(r.correlation[3 * 4 + 0]));
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(r.parameters[i].identified);
      CHECK(r.parameters[i].standard_error > 0);
      CHECK(r.correlation[i * 4 + i] == Approx(1.0));
    }
    CHECK_THAT(format_estimates(spec, r),
               Catch::Contains("not identified by the data: receptor.transducer_slope"));
    CHECK_THAT(format_model_snippet(spec, r),
               Catch::Contains("# transducer_slope: not identified"));
  }
  SECTION("two parameters that enter only as their ratio") {
    // Oral plasma alone sees F and V only as F / V (with k fixed through elimination_rate).
    std::string csv;
    for (const std::string& line :
         {std::string("time,group,value,sd"), std::string("h,,ng/mL,ng/mL")})
      csv += line + "\n";
    std::istringstream in(fx.text("plasma.csv"));
    for (std::string line; std::getline(in, line);)
      if (line.find(",oral,") != std::string::npos) csv += line + "\n";
    fx.put("oral.csv", csv);
    const std::string text =
        "[fit]\nname = \"ratio\"\n"
        "[[parameter]]\npath = \"drug.central_volume\"\ninitial = \"80 L\"\n"
        "[[parameter]]\npath = \"drug-oral.bioavailability\"\ninitial = 0.5\nlower = 0.01\nupper = "
        "1\n"
        "[[parameter]]\npath = \"drug.elimination_rate\"\ninitial = \"0.1 /h\"\n"
        "[[dataset]]\nname = \"oral\"\nfile = \"oral.csv\"\nscenario = \"onecpt.toml\"\n"
        "arm = \"oral\"\nquantity = \"plasma\"\ncompounds = [\"drug\"]\nlog = true\n";
    const FitResult r = estimate(load_fit_file(fx.put("ratio.toml", text)), opt);
    CHECK(r.not_identified ==
          std::vector<std::string>{"drug.central_volume", "drug-oral.bioavailability"});
    CHECK(r.parameters[2].identified);
    CHECK(r.parameters[2].estimate == Approx(0.2).epsilon(0.05));
    CHECK(r.parameters[2].standard_error > 0);
    CHECK(std::isnan(r.parameters[0].standard_error));
  }
}

TEST_CASE("fit: the covariance names the null space of a Jacobian", "[fit]") {
  // Columns 0 and 2 are equal (only their sum matters); column 1 is independent.
  const std::vector<double> jac{1, 0, 1, 2, 1, 2, 0, 3, 0, 1, 1, 1};
  const Covariance c = covariance_from_jacobian(jac, 4, 3);
  CHECK(c.identified == std::vector<bool>{false, true, false});
  CHECK(std::isnan(c.cov[0]));
  // With columns 0 and 2 held fixed: var = 1 / |column 1|^2 = 1 / 11.
  CHECK(c.cov[1 * 3 + 1] == Approx(1.0 / 11));
  // A well-posed diagonal problem: cov = diag(1 / s^2).
  const Covariance d = covariance_from_jacobian({2, 0, 0, 4}, 2, 2);
  CHECK(d.identified == std::vector<bool>{true, true});
  CHECK(d.cov[0] == Approx(0.25));
  CHECK(d.cov[3] == Approx(1.0 / 16));
  CHECK(d.cov[1] == Approx(0.0).margin(1e-15));
}

TEST_CASE("fit: --check passes within the tolerances and fails outside", "[fit]") {
  const CheckResult ok = check(load_fit_file((kFitData / "onecpt-fit.toml").string()), 1);
  CHECK(ok.passed);
  REQUIRE(ok.datasets.size() == 2);
  CHECK(ok.datasets[0].max_deviation > 0.01);  // noise, well inside 0.3 log units
  CHECK(ok.datasets[0].max_deviation < 0.3);
  const FitSpec tight_spec = load_fit_file((kFitData / "onecpt-check-fails.toml").string());
  const CheckResult tight = check(tight_spec, 1);
  CHECK_FALSE(tight.passed);
  CHECK(tight.datasets[0].within_tolerance);
  CHECK_FALSE(tight.datasets[1].within_tolerance);
  CHECK(tight.datasets[1].max_deviation == Approx(ok.datasets[1].max_deviation));
  CHECK_THAT(format_check(tight_spec, tight), Catch::Contains("EXCEEDED"));
  // --check compares the shipped values, not the fit's initial ones, which miss by far.
  const FitSpec spec = load_fit_file((kFitData / "onecpt-fit.toml").string());
  const std::vector<double> initial{6, 80, 0.3};
  const std::vector<DatasetFit> at_initial =
      compare(spec, Objective(spec, 1).evaluate_values(&initial));
  CHECK(at_initial[1].max_deviation > 8);
  CHECK_FALSE(at_initial[1].within_tolerance);
}

TEST_CASE("fit: --check accepts a documented miss only while it still misses", "[fit]") {
  FitSpec spec = load_fit_file((kFitData / "onecpt-check-fails.toml").string());
  spec.datasets[1].disagreement = "docs/validation.md: the occupancy is known to miss";
  const CheckResult noted = check(spec, 1);
  CHECK(noted.passed);  // dataset 1 misses, as its note says; dataset 0 agrees
  CHECK_THAT(format_check(spec, noted), Catch::Contains("a documented disagreement"));
  spec.datasets[0].disagreement = "a stale note on a dataset that agrees";
  const CheckResult stale = check(spec, 1);
  CHECK_FALSE(stale.passed);
  CHECK_THAT(format_check(spec, stale), Catch::Contains("remove the note"));
}

TEST_CASE("fit: the TOML snippet names the model file and table of each parameter", "[fit]") {
  const FitSpec spec = load_fit_file((kFitData / "onecpt-fit.toml").string());
  CHECK(model_location(spec, "drug.clearance").table == "[pk]");
  CHECK(model_location(spec, "drug.ke0").table == "[brain]");
  CHECK(model_location(spec, "drug.ki").table == "[binding]");
  CHECK(model_location(spec, "drug.ke0").key == "ke0");
  CHECK_THAT(model_location(spec, "drug.ke0").file, Catch::Contains("onecpt.toml"));
  CHECK_THAT(model_location(spec, "drug.ke0").file,
             Catch::Contains("[[compound]] name = \"drug\""));
  CHECK_THAT(model_location(spec, "drug-oral.gut.transit[0]").table, Catch::Contains("[[phase]]"));
  // A compound from models/: the file in models/.
  Fixture fx;
  fx.put("p.csv", "time,value,sd\nh,nM,nM\n1,1,0.1\n");
  fx.put("s.toml", "[scenario]\nname = \"s\"\nuse = [\"naltrexone-oral-50mg\"]\nmodels = \"" +
                       (fs::path(MORSIM_SOURCE_DIR) / "models").string() +
                       "\"\n[output]\nend = \"1 d\"\n[[arm]]\nname = \"a\"\n[[arm.dose]]\n"
                       "formulation = \"naltrexone-oral-50mg\"\namount = \"50 mg\"\n");
  const FitSpec lib = load_fit_file(fx.put(
      "f.toml",
      "[fit]\nname = \"f\"\n[[parameter]]\npath = \"naltrexone.ke0_half_life\"\ninitial = \"20 "
      "min\"\n[[dataset]]\nname = \"d\"\nfile = \"p.csv\"\nscenario = \"s.toml\"\nquantity = "
      "\"plasma\"\ncompounds = [\"naltrexone\"]\n"));
  const ModelLocation loc = model_location(lib, "naltrexone.ke0_half_life");
  CHECK(loc.file == "models/compounds/naltrexone.toml");
  CHECK(loc.table == "[brain]");
  CHECK(model_location(lib, "naltrexone-oral-50mg.bioavailability").file ==
        "models/formulations/naltrexone-oral-50mg.toml");
}

TEST_CASE("fit: each bad fit file or CSV names file, line, key and what is allowed", "[fit]") {
  Fixture fx;
  const std::string fit = fx.text("onecpt-fit.toml");
  const std::string fit_path = fx.path("bad.toml");
  // A mutation of the fit file: the error is expected on the line of `to`.
  const auto bad_fit = [&](const std::string& from, const std::string& to, const std::string& key,
                           const std::vector<std::string>& parts) {
    const std::string text = replaced(fit, from, to);
    fx.put("bad.toml", text);
    check_message(load_error(fit_path), fit_path, line_of(text, to), key, parts);
  };
  // A mutation of a CSV (the fit file unchanged): the error is on the line of `to`.
  const auto bad_csv = [&](const std::string& csv, const std::string& from, const std::string& to,
                           const std::string& key, const std::vector<std::string>& parts) {
    const std::string original = fx.text(csv);
    const std::string text = replaced(original, from, to);
    fx.put(csv, text);
    fx.put("bad.toml", fit);
    check_message(load_error(fit_path), fx.path(csv), line_of(text, to), key, parts);
    fx.put(csv, original);
  };

  SECTION("unknown keys, with the closest allowed one") {
    bad_fit("max_iterations = 50", "max_iteration = 50", "fit.max_iteration",
            {"unknown key 'max_iteration'", "did you mean 'max_iterations'", "allowed: name"});
    bad_fit("lower = \"5 L\"", "lowr = \"5 L\"", "parameter[1].lowr",
            {"did you mean 'lower'", "allowed: path, initial, lower, upper, scale"});
    bad_fit("quantity = \"occupancy\"", "quantty = \"occupancy\"", "dataset[1].quantty",
            {"did you mean 'quantity'", "allowed: name, file, scenario"});
  }
  SECTION("an unknown parameter path") {
    bad_fit("path = \"drug.clearance\"", "path = \"drug.clearence\"", "parameter[0].path",
            {"no parameter with this path", "did you mean 'drug.clearance'", "allowed:"});
    bad_fit("path = \"drug.clearance\"", "path = \"drog.clearance\"", "parameter[0].path",
            {"no parameter with this path", "did you mean 'drug.clearance'"});
  }
  SECTION("values the model rejects, and units of the wrong dimension") {
    bad_fit("initial = \"6 L/h\"", "initial = \"6 mg\"", "parameter[0].initial",
            {"rejects 'drug.clearance=6 mg'", "mass, not clearance"});
    bad_fit("initial = \"80 L\"", "initial = \"80 Lt\"", "parameter[1].initial",
            {"unknown unit 'Lt'"});
    bad_fit("lower = \"0.5 L/h\"", "lower = \"0.5 L\"", "parameter[0].lower",
            {"unit 'L' is volume, not volume/time"});
  }
  SECTION("bounds") {
    bad_fit("initial = \"6 L/h\"", "initial = \"200 L/h\"", "parameter[0].initial",
            {"outside the bounds", "0.5 L/h to 100 L/h"});
    bad_fit("upper = \"100 L/h\"", "upper = \"0.1 L/h\"", "parameter[0].upper",
            {"greater than lower = 0.5 L/h"});
    bad_fit("lower = \"0.5 L/h\"", "lower = \"0 L/h\"", "parameter[0].lower",
            {"> 0 with scale = \"log\"", "scale = \"linear\""});
    bad_fit("scale = \"log\"", "scale = \"logarithmic\"", "parameter[2].scale",
            {"unknown scale", "allowed: log, linear"});
  }
  SECTION("unknown arms, compounds, quantities and statistics") {
    bad_fit("arm = \"oral\"", "arm = \"orl\"", "dataset[1].arm",
            {"no arm 'orl'", "did you mean 'oral'", "allowed: iv, oral"});
    bad_fit("compounds = [\"drug\"]\nlog", "compounds = [\"drugg\"]\nlog",
            "dataset[0].compounds[0]",
            {"no compound 'drugg'", "did you mean 'drug'", "allowed: drug"});
    bad_fit("quantity = \"occupancy\"", "quantity = \"ocupancy\"", "dataset[1].quantity",
            {"did you mean 'occupancy'", "allowed: plasma, occupancy, effect"});
    bad_fit("tolerance = 8", "statistic = \"peek\"\ntolerance = 8", "dataset[1].statistic",
            {"unknown statistic 'peek'", "did you mean 'peak'", "time_of_peak"});
    // A missing key is reported at its table, the [[dataset]] line.
    const std::string text = replaced(fit, "tolerance = 8", "statistic = \"relative\"");
    fx.put("bad.toml", text);
    check_message(load_error(fit_path), fit_path, line_of(text, "name = \"occupancy\"") - 1,
                  "dataset[1].reference_time", {"missing", "the time the quantity is divided by"});
  }
  SECTION("missing files and empty datasets") {
    bad_fit("file = \"plasma.csv\"", "file = \"plasm.csv\"", "dataset[0].file",
            {"no such file", "plasm.csv"});
    bad_fit("scenario = \"onecpt.toml\"", "scenario = \"onecp.toml\"", "dataset[0].scenario",
            {"no such file", "onecp.toml"});
    fx.put("empty.csv", "# nothing yet\ntime,value,sd\nh,%,%\n");
    bad_fit("file = \"occupancy.csv\"", "file = \"empty.csv\"", "dataset[1].file",
            {"no observations", "empty dataset"});
  }
  SECTION("CSV columns, units, cells and uncertainties") {
    bad_csv(
        "occupancy.csv", "time,value,sem", "time,value,sen", "sen",
        {"unknown column 'sen'", "did you mean 'sem'", "allowed: time, group, value, sd, sem, n"});
    bad_csv("plasma.csv", "h,,ng/mL,ng/mL", "h,,h,ng/mL", "value",
            {"unit 'h' is time", "allowed:", "ng/mL"});
    bad_csv("occupancy.csv", "h,%,%", "h,nM,%", "value", {"unit 'nM'", "not a fraction"});
    bad_csv("occupancy.csv", "h,%,%", "mg,%,%", "time", {"unit 'mg' is mass, not time"});
    bad_csv("plasma.csv", "h,,ng/mL,ng/mL", "h,,ng/mL,h", "sd", {"match the value's unit"});
    bad_csv("occupancy.csv", "1,81.3,2", "1,81..3,2", "value", {"expected a number, got '81..3'"});
    bad_csv("occupancy.csv", "1,81.3,2", "30,81.3,2", "time",
            {"outside the scenario's output range", "24 h"});
    bad_csv("occupancy.csv", "1,81.3,2", "1,81.3,", "sigma",
            {"no uncertainty for this row", "sigma = ... in dataset 'occupancy'"});
    bad_csv("occupancy.csv", "1,81.3,2", "1,81.3,-2", "sem", {"got -2", "> 0"});
    bad_csv("plasma.csv", "0.5,iv,16.74", "0.5,ivv,16.74", "group",
            {"no arm 'ivv'", "did you mean 'iv'", "allowed: iv, oral"});
    bad_csv("plasma.csv", "0.5,iv,16.74,1.34", "0.5,iv,16.74,1.34,7", "(row)",
            {"5 cells", "4 columns"});
  }
  SECTION("an effect from a receptor model that computes none") {
    fx.put("e.csv", "time,value,sd\nh,1,1\n1,0.5,0.1\n");
    const std::string text =
        "[fit]\nname = \"e\"\n[[parameter]]\npath = \"fentanyl.ki\"\ninitial = \"1 nM\"\n"
        "[[dataset]]\nname = \"e\"\nfile = \"e.csv\"\nscenario = \"" +
        (fs::path(MORSIM_SOURCE_DIR) / "configs/crosscheck/fda-a-fentanyl.toml").string() +
        "\"\nquantity = \"effect\"\n";
    const std::string path = fx.put("e.toml", text);
    check_message(load_error(path), path, line_of(text, "quantity = \"effect\""),
                  "dataset[0].quantity", {"computes no effect", "allowed: plasma, occupancy"});
  }
  SECTION("a --set override that names nothing in the scenarios") {
    const ConfigError e = load_error(fx.path("onecpt-fit.toml"), {"drugg.ke0=2 /h"});
    CHECK(e.file() == "command line");
    CHECK_THAT(e.what(), Catch::Contains("did you mean 'drug'"));
  }
}

TEST_CASE("fit: --set applies before the parameters", "[fit]") {
  // The fit's --set moves the shipped values that --check compares.
  const std::string path = (kFitData / "onecpt-fit.toml").string();
  const CheckResult plain = check(load_fit_file(path), 1);
  const CheckResult moved = check(load_fit_file(path, {"drug.clearance=20 L/h"}), 1);
  CHECK(moved.datasets[0].max_deviation > plain.datasets[0].max_deviation + 0.3);
  // A parameter override wins over --set (it comes after): the fit starts where it says.
  const FitSpec spec = load_fit_file(path, {"drug.clearance=20 L/h"});
  const Objective obj(spec, 1);
  const std::vector<double> at_initial{6, 80, 0.3};
  const ModelPoint a = obj.evaluate_values(&at_initial);
  const ModelPoint b = Objective(load_fit_file(path), 1).evaluate_values(&at_initial);
  REQUIRE(a.ok);
  REQUIRE(b.ok);
  CHECK(a.residuals == b.residuals);
}

namespace {
// Counts the reads of the library it wraps.
class CountingLibrary : public ModelLibrary {
 public:
  CountingLibrary(const fs::path& dir, std::map<std::string, int>& reads)
      : inner_(dir), reads_(reads) {}
  std::optional<ModelFile> find(const std::string& relative) const override {
    ++reads_[relative];
    return inner_.find(relative);
  }
  std::vector<std::string> names(const std::string& folder) const override {
    return inner_.names(folder);
  }
  std::string description() const override { return inner_.description(); }

 private:
  DirectoryLibrary inner_;
  std::map<std::string, int>& reads_;
};
}  // namespace

TEST_CASE("fit: scenarios reload through a cache that reads each model file once", "[fit]") {
  std::map<std::string, int> reads;
  ScenarioSource src;
  src.path = (fs::path(MORSIM_SOURCE_DIR) / "configs/demo/oral-blockade.toml").string();
  src.text = read(src.path);
  src.library = std::make_shared<CachedLibrary>(
      std::make_unique<CountingLibrary>(fs::path(MORSIM_SOURCE_DIR) / "models", reads));
  const ScenarioSpec a = src.load({});
  const ScenarioSpec b = src.load({"naltrexone.ke0_half_life=40 min"});
  REQUIRE_FALSE(reads.empty());
  for (const auto& [file, n] : reads) {
    INFO(file);
    CHECK(n == 1);
  }
  CHECK(reads.count("compounds/naltrexone.toml") == 1);
  // The override took effect on the second load only.
  const auto ke0 = [](const ScenarioSpec& s) { return s.find_compound("naltrexone")->ke0_per_h; };
  CHECK(ke0(b) == Approx(std::log(2.0) / (40.0 / 60)));
  CHECK(ke0(a) != Approx(ke0(b)));
}
