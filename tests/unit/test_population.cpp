// Virtual patients: distributions of drawn parameters, adherence draws, percentiles, thread
// independence and the typical patient reproduced exactly.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "config/load_scenario.hpp"
#include "population/percentiles.hpp"
#include "population/population_runner.hpp"
#include "population/random_stream.hpp"
#include "solver/arm_simulator.hpp"

using namespace morsim;
using namespace morsim::population;

namespace {

// Two weeks of daily tablets with heroin on days 3 and 10; built-in models.
const std::string kScenario = R"(
[scenario]
name = "test-population"
use = ["heroin", "heroin-iv", "naltrexone-oral-50mg"]
[output]
start = "0 h"
end = "14 d"
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
addl = 13
interval = "24 h"
[[arm.dose]]
formulation = "heroin-iv"
amount = "25 mg"
time = "74 h"
addl = 1
interval = "168 h"
)";

PopulationSpec load(const std::string& population_tables) {
  return load_population_text(kScenario + population_tables, "test.toml", EmbeddedLibrary());
}

struct Moments {
  double mean = 0, sd = 0;
};

Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v) m.mean += x / static_cast<double>(v.size());
  for (double x : v) m.sd += (x - m.mean) * (x - m.mean) / static_cast<double>(v.size() - 1);
  m.sd = std::sqrt(m.sd);
  return m;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const Moments ma = moments(a), mb = moments(b);
  double c = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    c += (a[i] - ma.mean) * (b[i] - mb.mean) / static_cast<double>(a.size() - 1);
  return c / (ma.sd * mb.sd);
}

}  // namespace

TEST_CASE("numpy 'linear' percentiles on a hand-checked case", "[population]") {
  std::vector<double> v{10, 3, 1, 4, 2};
  const std::vector<double> p = percentiles_linear(v, {0, 5, 25, 50, 75, 95, 100});
  // sorted 1 2 3 4 10; h = 4 q / 100
  CHECK(p[0] == Approx(1.0));
  CHECK(p[1] == Approx(1.2));  // h = 0.2
  CHECK(p[2] == Approx(2.0));
  CHECK(p[3] == Approx(3.0));
  CHECK(p[4] == Approx(4.0));
  CHECK(p[5] == Approx(8.8));  // h = 3.8: 4 + 0.8 x 6
  CHECK(p[6] == Approx(10.0));
  std::vector<double> w{4, 1, 3, 2};
  const std::vector<double> q = percentiles_linear(w, {5, 50});
  CHECK(q[0] == Approx(1.15));  // h = 0.15
  CHECK(q[1] == Approx(2.5));   // h = 1.5
  std::vector<double> one{7};
  CHECK(percentiles_linear(one, {5, 95})[1] == 7.0);
}

TEST_CASE("random streams depend only on (seed, purpose, arm, subject)", "[population]") {
  RandomStream a(42, StreamPurpose::kAdherence, 1, 7), b(42, StreamPurpose::kAdherence, 1, 7);
  RandomStream c(42, StreamPurpose::kAdherence, 1, 8);
  for (int i = 0; i < 10; ++i) {
    const double ua = a.uniform();
    CHECK(ua == b.uniform());
    CHECK(ua != c.uniform());
    CHECK(ua > 0.0);
    CHECK(ua < 1.0);
  }
}

TEST_CASE("drawn parameters match their distributions and correlation", "[population]") {
  const PopulationSpec ps = load(R"(
[population]
seed = 11
[[variability]]
parameter = "naltrexone.clearance"
cv = 0.3
[[variability]]
parameter = "naltrexone.ke0"
distribution = "normal"
cv = 0.2
[[variability]]
parameter = "naltrexone-oral-50mg.bioavailability"
distribution = "uniform"
low = 0.1
high = 0.3
[correlation]
parameters = ["naltrexone.clearance", "naltrexone.ke0"]
matrix = [[1, 0.6], [0.6, 1]]
)");
  const double cl0 =
      ps.scenario.compounds[3].k_elim_per_h * ps.scenario.compounds[3].central_volume_L;
  REQUIRE(ps.scenario.compounds[3].name == "naltrexone");
  const double ke0 = ps.scenario.compounds[3].ke0_per_h;
  const ParameterSampler sampler(ps);
  const int n = 20000;
  std::vector<double> log_cl, cl, k, f;
  for (int s = 0; s < n; ++s) {
    SubjectParameters d;
    const ScenarioSpec spec = sampler.individual(static_cast<std::uint64_t>(s), d);
    const Compound& c = spec.compounds[3];
    cl.push_back(c.k_elim_per_h * c.central_volume_L);
    CHECK(cl.back() == Approx(d.values[0]).epsilon(1e-12));
    log_cl.push_back(std::log(cl.back() / cl0));
    k.push_back(c.ke0_per_h);
    f.push_back(spec.formulations[1].bioavailability);
  }
  const double omega = std::sqrt(std::log1p(0.09));
  CHECK(moments(log_cl).mean == Approx(0.0).margin(4 * omega / std::sqrt(n)));
  CHECK(moments(log_cl).sd == Approx(omega).epsilon(0.02));
  CHECK(moments(cl).sd / moments(cl).mean == Approx(0.3).epsilon(0.04));  // CV
  CHECK(moments(k).mean == Approx(ke0).epsilon(0.01));
  CHECK(moments(k).sd == Approx(0.2 * ke0).epsilon(0.03));
  CHECK(correlation(log_cl, k) == Approx(0.6).margin(0.02));
  CHECK(moments(f).mean == Approx(0.2).margin(0.002));
  CHECK(moments(f).sd == Approx(0.2 / std::sqrt(12.0)).epsilon(0.03));
  CHECK(std::abs(correlation(log_cl, f)) < 0.03);
}

TEST_CASE("body weight scales clearance and volume allometrically", "[population]") {
  const PopulationSpec ps = load(R"(
[population]
seed = 3
[weight]
median = "75 kg"
cv = 0.2
min = "50 kg"
max = "110 kg"
)");
  const Compound& c0 = ps.scenario.compounds[3];
  const ParameterSampler sampler(ps);
  std::vector<double> w;
  for (int s = 0; s < 4000; ++s) {
    SubjectParameters d;
    const ScenarioSpec spec = sampler.individual(static_cast<std::uint64_t>(s), d);
    const Compound& c = spec.compounds[3];
    const double r = d.weight_kg / 70.0;
    CHECK(c.central_volume_L == Approx(c0.central_volume_L * r));
    CHECK(c.k_elim_per_h * c.central_volume_L ==
          Approx(c0.k_elim_per_h * c0.central_volume_L * std::pow(r, 0.75)));
    CHECK(d.weight_kg >= 50.0);
    CHECK(d.weight_kg <= 110.0);
    w.push_back(d.weight_kg);
  }
  CHECK(percentiles_linear(w, {50})[0] == Approx(75.0).margin(1.0));
}

TEST_CASE("adherence draws match p_take, Markov run lengths, delays and the stop date",
          "[population]") {
  const PopulationSpec ps = load(R"(
[population]
seed = 5
[[adherence]]
arm = "oral"
formulation = "naltrexone-oral-50mg"
p_stay_adherent = 0.9
p_stay_lapse = 0.6
late_probability = 0.3
late_mean = "3 h"
late_max = "12 h"
)");
  long doses = 0, missed = 0, lapses = 0, lapse_days = 0, late = 0;
  double delay_sum = 0;
  for (std::uint64_t s = 0; s < 3000; ++s) {
    const Arm arm = individual_arm(ps, 0, s);
    const DoseRecord& r = arm.doses[0];
    std::vector<bool> miss(static_cast<std::size_t>(r.addl + 1), false);
    for (int i : r.missed) miss[static_cast<std::size_t>(i)] = true;
    for (std::size_t i = 0; i < miss.size(); ++i) {
      ++doses;
      missed += miss[i];
      if (miss[i]) {
        ++lapse_days;
        if (i == 0 || !miss[i - 1]) ++lapses;
      }
    }
    for (const DoseDelay& d : r.delays) {
      CHECK_FALSE(miss[static_cast<std::size_t>(d.index)]);
      CHECK(d.delay_h <= 12.0);
      ++late;
      delay_sum += d.delay_h;
    }
    CHECK(arm.doses[1].missed.empty());  // heroin is not subject to adherence
  }
  // Stationary fraction missed: (1 - 0.9) / ((1 - 0.9) + (1 - 0.6)) = 0.2, from an adherent
  // start, so a little less over 14 doses.
  const double taken = static_cast<double>(doses - missed);
  CHECK(static_cast<double>(missed) / static_cast<double>(doses) == Approx(0.18).margin(0.02));
  // Runs cut by the end of a 14-dose schedule are shorter than 1/(1 - 0.6) = 2.5 on average;
  // the exact geometric check is the long-chain test below.
  CHECK(static_cast<double>(lapse_days) / static_cast<double>(lapses) > 2.0);
  CHECK(static_cast<double>(late) / taken == Approx(0.3).margin(0.015));
  CHECK(delay_sum / static_cast<double>(late) ==
        Approx(3.0 * (1.0 - std::exp(-4.0))).epsilon(0.04));
}

TEST_CASE("long Markov chains: geometric run lengths 1/(1-p_stay)", "[population]") {
  std::string text = kScenario;
  text.replace(text.find("addl = 13"), 9, "addl = 999");
  text.replace(text.find("end = \"14 d\""), 12, "end = \"1001 d\"");
  const PopulationSpec ps = load_population_text(text + R"(
[population]
seed = 9
[[adherence]]
arm = "oral"
formulation = "naltrexone-oral-50mg"
p_stay_adherent = 0.8
p_stay_lapse = 0.5
)",
                                                 "long.toml", EmbeddedLibrary());
  long taken_runs = 0, taken_days = 0, lapses = 0, lapse_days = 0;
  for (std::uint64_t s = 0; s < 200; ++s) {
    const DoseRecord r = individual_arm(ps, 0, s).doses[0];
    std::vector<bool> miss(1000, false);
    for (int i : r.missed) miss[static_cast<std::size_t>(i)] = true;
    for (std::size_t i = 0; i < miss.size(); ++i) {
      const bool start = i == 0 || miss[i] != miss[i - 1];
      if (miss[i])
        lapse_days++, lapses += start;
      else
        taken_days++, taken_runs += start;
    }
  }
  CHECK(static_cast<double>(lapse_days) / lapses == Approx(2.0).epsilon(0.03));
  CHECK(static_cast<double>(taken_days) / taken_runs == Approx(5.0).epsilon(0.04));
}

TEST_CASE("a stop date and Bernoulli doses", "[population]") {
  const PopulationSpec ps = load(R"(
[population]
seed = 5
[[adherence]]
arm = "oral"
formulation = "naltrexone-oral-50mg"
p_take = 0.7
stop = "10 d"
)");
  long before = 0, taken_before = 0;
  for (std::uint64_t s = 0; s < 4000; ++s) {
    const DoseRecord r = individual_arm(ps, 0, s).doses[0];
    for (int i = 0; i <= r.addl; ++i) {
      const bool miss = std::find(r.missed.begin(), r.missed.end(), i) != r.missed.end();
      if (i >= 10) {
        CHECK(miss);
      } else {
        ++before;
        taken_before += !miss;
      }
    }
  }
  CHECK(static_cast<double>(taken_before) / before == Approx(0.7).margin(0.01));
}

TEST_CASE("identical results on 1 and 2 threads", "[population]") {
  PopulationSpec ps = load(R"(
[population]
subjects = 10
seed = 21
[[variability]]
parameter = "naltrexone.clearance"
cv = 0.4
[weight]
cv = 0.2
[[adherence]]
arm = "oral"
formulation = "naltrexone-oral-50mg"
p_take = 0.7
late_probability = 0.5
late_mean = "4 h"
[heroin]
pattern = "poisson"
formulation = "heroin-iv"
uses_per_week = 3
amount = { median = "25 mg", cv = 0.5 }
)");
  PopulationOptions one, two;
  one.threads = 1;
  two.threads = 2;
  two.block = 3;
  const PopulationResult a = run_population(ps, one), b = run_population(ps, two);
  REQUIRE(a.arms.size() == 1);
  CHECK(a.arms[0].antagonist_bands == b.arms[0].antagonist_bands);
  CHECK(a.arms[0].agonist_bands == b.arms[0].agonist_bands);
  CHECK(a.parameters == b.parameters);
  for (std::size_t s = 0; s < ps.subjects; ++s) {
    const SubjectOutcome &x = a.arms[0].subjects[s], &y = b.arms[0].subjects[s];
    CHECK(x.protected_day_fraction == y.protected_day_fraction);
    CHECK(x.heroin_uses == y.heroin_uses);
    CHECK(x.rewarding_uses == y.rewarding_uses);
    CHECK((x.first_unblocked_use_h == y.first_unblocked_use_h ||
           (std::isnan(x.first_unblocked_use_h) && std::isnan(y.first_unblocked_use_h))));
  }
  CHECK(a.arms[0].outcomes.mean_heroin_uses > 0);
}

TEST_CASE("no variability and full adherence reproduce the typical patient exactly",
          "[population]") {
  const PopulationSpec ps = load(R"(
[population]
subjects = 3
seed = 1
)");
  const PopulationResult r = run_population(ps, {});
  ArmSimulator sim(ps.scenario);
  const Trajectory typical = sim.simulate(ps.scenario.arms[0], r.band_t_h);
  REQUIRE(typical.n_times() == r.band_t_h.size());
  const std::size_t nt = r.band_t_h.size();
  for (std::size_t q = 0; q < r.percentiles.size(); ++q)
    for (std::size_t i = 0; i < nt; ++i) {
      // The bands are percentiles of float32 rows: equal to the typical value in float32.
      REQUIRE(r.arms[0].antagonist_bands[q * nt + i] ==
              static_cast<double>(static_cast<float>(typical.antagonist_occupancy(i))));
      REQUIRE(r.arms[0].agonist_bands[q * nt + i] ==
              static_cast<double>(static_cast<float>(typical.agonist_occupancy(i))));
    }
  CHECK(r.arms[0].subjects[0].heroin_uses == 2);
  CHECK(r.arms[0].subjects[0].doses_taken_fraction == 1.0);
  CHECK(r.arms[0].subjects[0].rewarding_uses == r.arms[0].subjects[2].rewarding_uses);
}

TEST_CASE("population: every show --params path may vary except dose counts", "[population]") {
  // The one vocabulary: paths the population did not know before (indexed ones, hill, the
  // receptor's slope) are drawn and set like the others.
  const PopulationSpec ps = load(R"(
[population]
subjects = 4
[[variability]]
parameter = "naltrexone.peripheral[0].k21"
distribution = "lognormal"
cv = 0.3
[[variability]]
parameter = "naltrexone.metabolites[0].fraction"
distribution = "uniform"
low = 0.2
high = 0.4
[[variability]]
parameter = "heroin.hill"
distribution = "lognormal"
cv = 0.1
[[variability]]
parameter = "receptor.transducer_slope"
distribution = "lognormal"
cv = 0.2
)");
  REQUIRE(ps.variability.size() == 4);
  const ParameterSampler sampler(ps);
  SubjectParameters drawn;
  const ScenarioSpec s = sampler.individual(1, drawn);
  const Compound& nal = *s.find_compound("naltrexone");
  CHECK(nal.peripherals[0].k_in_per_h == drawn.values[0]);
  CHECK(nal.metabolites[0].fraction == drawn.values[1]);
  CHECK(s.find_compound("heroin")->binding.hill_n == drawn.values[2]);
  CHECK(s.receptor.transducer_slope == drawn.values[3]);
  CHECK(drawn.values[1] >= 0.2);
  CHECK(drawn.values[1] <= 0.4);
  CHECK_THROWS_WITH(load("[population]\nsubjects = 4\n[[variability]]\n"
                         "parameter = \"doses.oral.0.missed_last\"\ndistribution = \"normal\"\n"
                         "cv = 0.1\n"),
                    Catch::Contains("a count of doses") && Catch::Contains("[[adherence]]"));
  CHECK_THROWS_WITH(load("[population]\nsubjects = 4\n[[variability]]\n"
                         "parameter = \"naltrexone.k_elim\"\ndistribution = \"normal\"\n"
                         "cv = 0.1\n"),
                    Catch::Contains("now called 'elimination_rate'"));
}
