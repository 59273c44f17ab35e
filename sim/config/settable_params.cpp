// The --set vocabulary of one scenario, read off the checked ScenarioSpec: values are given in
// the internal unit with the shortest text that reads back to the same double, so setting a
// listed value changes nothing (up to rounding where the path is an alternative spelling).
#include "config/settable_params.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "units/units.hpp"

namespace morsim {
namespace {

constexpr double kLn2 = 0.69314718055994530942;

class Lister {
 public:
  explicit Lister(const ScenarioSpec& spec) : spec_(spec) {}

  std::vector<SettableParameter> run() {
    for (const Compound& c : spec_.compounds) compound(c);
    for (const Formulation& f : spec_.formulations) formulation(f);
    add("receptor.transducer_slope", spec_.receptor.transducer_slope, dim::dimensionless());
    for (const Arm& a : spec_.arms) arm(a);
    return std::move(out_);
  }

 private:
  void add(const std::string& path, double value, const ExpectedDimension& d) {
    out_.push_back({path, d.internal_unit(), format_number(value)});
  }
  void add_count(const std::string& path, long count) {
    out_.push_back({path, "", std::to_string(count)});
  }
  bool written(const std::string& path) const {
    return std::any_of(spec_.sources.begin(), spec_.sources.end(),
                       [&](const ParameterSource& s) { return s.path == path; });
  }

  void compound(const Compound& c) {
    const std::string n = c.name + ".";
    add(n + "molar_mass", c.molar_mass_g_per_mol, dim::molar_mass());
    add(n + "central_volume", c.central_volume_L, dim::volume());
    add(n + "elimination_rate", c.k_elim_per_h, dim::rate());
    add(n + "clearance", c.k_elim_per_h * c.central_volume_L, dim::clearance());
    add(n + "half_life", kLn2 / c.k_elim_per_h, dim::time());
    for (std::size_t i = 0; i < c.peripherals.size(); ++i) {
      const PeripheralCompartment& p = c.peripherals[i];
      const std::string ip = n + "peripheral[" + std::to_string(i) + "].";
      if (written(ip + "k12")) {
        add(ip + "k12", p.k_out_per_h, dim::rate());
        add(ip + "k21", p.k_in_per_h, dim::rate());
      } else {  // volume and clearance (Q): k12 = Q / V1, k21 = Q / V2
        const double q = p.k_out_per_h * c.central_volume_L;
        add(ip + "volume", q / p.k_in_per_h, dim::volume());
        add(ip + "clearance", q, dim::clearance());
      }
    }
    for (std::size_t i = 0; i < c.metabolites.size(); ++i)
      add(n + "metabolites[" + std::to_string(i) + "].fraction", c.metabolites[i].fraction,
          dim::dimensionless());
    if (c.ke0_per_h > 0.0) {
      add(n + "ke0", c.ke0_per_h, dim::rate());
      add(n + "ke0_half_life", kLn2 / c.ke0_per_h, dim::time());
      add(n + "partition", c.brain_partition, dim::dimensionless());
    }
    if (c.binds_receptor) {
      const Binding& b = c.binding;
      add(n + "kon", b.kon_per_nM_n_per_h, dim::kon(b.hill_n));
      add(n + "ki", b.kd_nM(), dim::concentration());
      add(n + "koff", b.koff_per_h, dim::rate());
      add(n + "hill", b.hill_n, dim::dimensionless());
      add(n + "tau", b.tau, dim::dimensionless());
    }
  }

  void formulation(const Formulation& f) {
    const std::string n = f.name + ".";
    add(n + "bioavailability", f.bioavailability, dim::dimensionless());
    if (f.dosed_molar_mass_g_per_mol > 0.0)
      add(n + "dosed_molar_mass", f.dosed_molar_mass_g_per_mol, dim::molar_mass());
    for (std::size_t i = 0; i < f.first_pass.size(); ++i)
      add(n + "first_pass[" + std::to_string(i) + "].fraction", f.first_pass[i].fraction,
          dim::dimensionless());
    for (const AbsorptionPhase& ph : f.phases) {
      const std::string p = n + ph.name + ".";
      add(p + "fraction", ph.fraction, dim::dimensionless());
      add(p + "lag", ph.lag_h, dim::time());
      add(p + "duration", ph.duration_h, dim::time());
      for (std::size_t j = 0; j < ph.transit_rates_per_h.size(); ++j)
        add(p + "transit[" + std::to_string(j) + "]", ph.transit_rates_per_h[j], dim::rate());
    }
  }

  void arm(const Arm& a) {
    for (std::size_t i = 0; i < a.doses.size(); ++i) {
      const DoseRecord& d = a.doses[i];
      const std::string p = "doses." + a.name + "." + std::to_string(i) + ".";
      // A constant infusion (rate without amount) and a reset alone have no amount to set.
      if (d.amount_mg > 0.0) add(p + "amount", d.amount_mg, dim::mass());
      add(p + "time", d.time_h, dim::time());
      if (d.formulation.empty() || d.rate_mg_per_h > 0.0) continue;
      // missed_last names a suffix of the record's doses; other patterns have no such value.
      std::vector<int> missed = d.missed;
      std::sort(missed.begin(), missed.end());
      missed.erase(std::unique(missed.begin(), missed.end()), missed.end());
      bool suffix = true;
      for (std::size_t k = 0; k < missed.size(); ++k)
        suffix = suffix && missed[k] == d.addl + 1 - static_cast<int>(missed.size() - k);
      if (suffix) add_count(p + "missed_last", static_cast<long>(missed.size()));
    }
  }

  const ScenarioSpec& spec_;
  std::vector<SettableParameter> out_;
};

}  // namespace

std::vector<SettableParameter> settable_parameters(const ScenarioSpec& spec) {
  return Lister(spec).run();
}

std::string describe_settable_parameters(const ScenarioSpec& spec) {
  const std::vector<SettableParameter> params = settable_parameters(spec);
  std::size_t wp = 4, wu = 4;
  for (const SettableParameter& p : params) {
    wp = std::max(wp, p.path.size());
    wu = std::max(wu, p.unit.size());
  }
  std::ostringstream os;
  os << "Settable parameters of " << spec.name << " (--set 'PATH=VALUE UNIT'; any unit of the same "
     << "dimension is accepted):\n";
  const auto row = [&](const std::string& a, const std::string& b, const std::string& c) {
    os << "  " << a << std::string(wp - a.size() + 2, ' ') << b
       << std::string(wu - b.size() + 2, ' ') << c << "\n";
  };
  row("path", "unit", "value");
  for (const SettableParameter& p : params) row(p.path, p.unit.empty() ? "-" : p.unit, p.value);
  return os.str();
}

}  // namespace morsim
