// A NONMEM-style dataset read as arms (`morsim run --dataset`), each record type checked
// against the closed form of a one-compartment model: a bolus with F > 1 from the [dataset]
// table, a reset (EVID 3) and reset-and-dose (EVID 4), an added steady state (SS 2), SS 1 after
// an earlier dose, a compartment lag (ALAG) on first-order absorption, the dataset's time unit,
// and observation records (EVID 0) as output times.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "nonmem/dataset_arms.hpp"
#include "solver/simulate.hpp"
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

constexpr double kV = 10.0;  // L
constexpr double kK = 0.2;   // /h
constexpr double kKa = 1.5;  // /h, the oral formulation
constexpr double kFo = 0.6;  // the oral formulation's own F

double bolus_c(double mg, double dt) { return dt < 0 ? 0.0 : mg / kV * std::exp(-kK * dt); }
double oral_c(double mg, double dt) {
  if (dt < 0) return 0.0;
  return kFo * mg * kKa / (kV * (kKa - kK)) * (std::exp(-kK * dt) - std::exp(-kKa * dt));
}

// The model of test_nonmem_events; arms and output times come from the dataset.
ScenarioSpec model(double t_end_h) {
  return one_arm({simple_compound("drug", kV, kK)},
                 {simple_formulation("iv", "drug"), simple_formulation("oral", "drug", {kKa}, kFo)},
                 {}, t_end_h, 1.0);
}

struct Csv {
  std::string path;
  explicit Csv(const std::string& text) {
    path = (std::filesystem::temp_directory_path() /
            ("morsim-dataset-" + std::to_string(::getpid()) + ".csv"))
               .string();
    std::ofstream(path) << text;
  }
  ~Csv() { std::remove(path.c_str()); }
};

nonmem::DatasetMapping mapping() {
  nonmem::DatasetMapping m;
  m.file = "test.toml";
  m.cmt[1] = {"iv", 2.23, 0.0, 1};  // $PK F1 = 2.23: a multiplier of AMT
  m.cmt[2] = {"oral", 1.0, 0.0, 2};
  m.cmt[3] = {"oral", 1.0, 0.75, 3};  // ALAG3 = 0.75 h
  m.cmt[4] = {"iv", 1.0, 0.0, 4};
  return m;
}

const Trajectory& arm(const std::vector<Trajectory>& all, const ScenarioSpec& spec,
                      const std::string& name) {
  for (std::size_t i = 0; i < spec.arms.size(); ++i)
    if (spec.arms[i].name == name) return all.at(i);
  FAIL("no arm " << name);
  return all.front();
}

void check(const Trajectory& tr, const std::function<double(double)>& expected) {
  REQUIRE(tr.t_h.size() > 5);
  for (std::size_t i = 0; i < tr.t_h.size(); ++i) {
    INFO("t = " << tr.t_h[i] << " h");
    CHECK(tr.plasma_nM[i] == Approx(expected(tr.t_h[i])).epsilon(1e-6).margin(1e-9));
  }
}

}  // namespace

TEST_CASE("a dataset's records against closed forms", "[nonmem][dataset]") {
  const Csv csv(
      "ID,TIME,EVID,AMT,CMT,RATE,II,ADDL,SS,DV\n"
      "1,0,1,100,1,.,.,.,.,.\n"  // F1 = 2.23
      "2,0,1,100,2,.,.,.,.,.\n"  // oral, then
      "2,6,3,.,.,.,.,.,.,.\n"    // EVID 3: reset
      "2,10,4,40,4,.,.,.,.,.\n"  // EVID 4: reset and a bolus
      "3,0,1,100,4,.,.,.,.,.\n"
      "3,12,1,20,4,.,8,0,2,.\n"  // SS 2: the steady state of 20 mg / 8 h added
      "4,0,1,100,4,.,.,.,.,.\n"
      "4,12,1,20,4,.,8,1,1,.\n"      // SS 1: the bolus forgotten, then one more dose
      "5,0,1,100,3,.,.,.,.,.\n"      // ALAG3
      "5,3.3,0,.,.,.,.,.,.,1.7\n");  // an observation: an output time
  ScenarioSpec spec = model(30.0);
  std::vector<std::string> notes;
  nonmem::apply_dataset(spec, mapping(), nonmem::read_event_table(csv.path), notes);
  REQUIRE(spec.arms.size() == 5);
  CHECK(spec.arms[0].name == "id1");
  const std::vector<Trajectory> all = simulate(spec);
  const double acc = 1.0 / (1.0 - std::exp(-kK * 8.0));  // steady-state accumulation, 8 h

  SECTION("F in the [dataset] table multiplies AMT") {
    check(arm(all, spec, "id1"), [](double t) { return 2.23 * bolus_c(100, t); });
  }
  SECTION("EVID 3 zeroes the state; EVID 4 zeroes it and doses") {
    check(arm(all, spec, "id2"), [](double t) {
      return t < 6 ? oral_c(100, t) : t < 10 ? 0.0 : bolus_c(40, t - 10);
    });
  }
  SECTION("SS 2 adds the regimen's steady state to the current state") {
    check(arm(all, spec, "id3"),
          [acc](double t) { return bolus_c(100, t) + (t < 12 ? 0.0 : acc * bolus_c(20, t - 12)); });
  }
  SECTION("SS 1 replaces the state by the regimen's steady state; ADDL continues it") {
    check(arm(all, spec, "id4"), [acc](double t) {
      if (t < 12) return bolus_c(100, t);
      return acc * bolus_c(20, t - 12) + bolus_c(20, t - 20);
    });
  }
  SECTION("ALAG delays the input; EVID 0 is a sample") {
    const Trajectory& tr = arm(all, spec, "id5");
    check(tr, [](double t) { return oral_c(100, t - 0.75); });
    bool sampled = false;
    for (double t : tr.t_h) sampled = sampled || t == 3.3;
    CHECK(sampled);
    CHECK(arm(all, spec, "id1").t_h.size() + 1 == tr.t_h.size());
  }
}

TEST_CASE("a dataset's time and amount units are converted once", "[nonmem][dataset]") {
  const Csv csv("ID,TIME,EVID,AMT,CMT\n1,90,1,2500,4\n");  // 2500 ug at 90 min
  ScenarioSpec spec = model(12.0);
  nonmem::DatasetMapping m = mapping();
  m.time_unit = "min", m.hours_per_time_unit = 1.0 / 60.0;
  m.amount_unit = "ug", m.mg_per_amount_unit = 1e-3;
  std::vector<std::string> notes;
  nonmem::apply_dataset(spec, m, nonmem::read_event_table(csv.path), notes);
  check(simulate(spec).at(0), [](double t) { return bolus_c(2.5, t - 1.5); });
}
