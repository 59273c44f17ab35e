// Population results: the bands are (percentile, time) datasets with dimension scales, so
// xarray opens each arm group with named dimensions.
#include "population/population_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "io/h5_write.hpp"
#include "io/partial_file.hpp"
#include "model/errors.hpp"
#include "pk/dose_schedule.hpp"
#include "population/virtual_subject.hpp"

namespace morsim {

namespace {

using population::ArmPopulation;
using population::PopulationResult;
using population::PopulationSpec;

constexpr std::size_t kDoseBlock = 1 << 16;  // doses held in memory before they are written

// The file's codes for a dose's status; the vocabulary is part of the format.
std::int8_t status_code(DoseStatus s) {
  switch (s) {
    case DoseStatus::kLate:
      return 1;
    case DoseStatus::kMissed:
      return 2;
    case DoseStatus::kTaken:
      break;
  }
  return 0;
}

// The event log of every subject in one arm, subject after subject and each in applied-time
// order: regenerated from the subject's draws by the functions the simulation used
// (subject_in_arm, expand_schedule), and written kDoseBlock doses at a time, so memory does
// not grow with the number of subjects. Returns the number of doses of each subject.
std::vector<std::int32_t> write_doses(hid_t arm_group, const PopulationSpec& ps,
                                      const population::ParameterSampler& sampler,
                                      std::size_t arm) {
  H5Id g = create_group(arm_group, "doses");
  const hid_t loc = g.get();
  std::vector<std::string> formulations, compounds;
  for (const Formulation& f : ps.scenario.formulations) {
    formulations.push_back(f.name);
    compounds.push_back(f.compound);
  }
  H5Id form = write_dataset(loc, "formulation", formulations, "", "formulation dosed");
  H5Id compound = write_dataset(loc, "compound", compounds, "", "compound of the formulation");
  make_dimension(form, "formulation", {&compound}, 0);

  GrowingColumn<std::int64_t> index(loc, "dose", "1",
                                    "dose number in the arm: subject by subject, each subject's "
                                    "doses in applied-time order");
  GrowingColumn<std::int32_t> subject(loc, "subject", "1", "subject who had the dose");
  GrowingColumn<double> time(loc, "time_h", "h",
                             "time the dose was taken (intended + delay; intended if missed)");
  GrowingColumn<double> intended(loc, "intended_time_h", "h", "scheduled time of the dose");
  GrowingColumn<double> amount(loc, "amount_mg", "mg",
                               "amount of the dosed form planned (none enters when missed)");
  GrowingColumn<std::int8_t> status(loc, "status", "1", "0 taken, 1 late, 2 missed");
  write_attr(status.id().get(), "flag_values", std::vector<std::int8_t>{0, 1, 2});
  write_attr(status.id().get(), "flag_meanings", "taken late missed");
  GrowingColumn<std::int32_t> which(loc, "formulation_index", "1",
                                    "formulation dosed: index into the formulation coordinate");

  std::vector<std::int64_t> b_index;
  std::vector<std::int32_t> b_subject, b_which;
  std::vector<double> b_time, b_intended, b_amount;
  std::vector<std::int8_t> b_status;
  const auto flush = [&] {
    index.append(b_index);
    subject.append(b_subject);
    time.append(b_time);
    intended.append(b_intended);
    amount.append(b_amount);
    status.append(b_status);
    which.append(b_which);
    b_index.clear(), b_subject.clear(), b_which.clear(), b_time.clear(), b_intended.clear(),
        b_amount.clear(), b_status.clear();
  };
  std::vector<std::int32_t> counts(ps.subjects, 0);
  std::int64_t next = 0;
  for (std::uint64_t s = 0; s < ps.subjects; ++s) {
    population::SubjectParameters drawn;
    const population::SubjectInArm in = population::subject_in_arm(ps, sampler, arm, s, drawn);
    const ExpandedSchedule schedule = expand_schedule(in.spec, in.arm);
    counts[s] = static_cast<std::int32_t>(schedule.log.size());
    for (const DoseLogEntry& e : schedule.log) {
      const auto f = std::find(formulations.begin(), formulations.end(), e.formulation);
      if (f == formulations.end())
        throw OutputError("population dose log: unknown formulation " + e.formulation);
      b_index.push_back(next++);
      b_subject.push_back(static_cast<std::int32_t>(s));
      b_time.push_back(e.applied_time_h);
      b_intended.push_back(e.intended_time_h);
      b_amount.push_back(e.amount_mg);
      b_status.push_back(status_code(e.status));
      b_which.push_back(static_cast<std::int32_t>(f - formulations.begin()));
      if (b_index.size() == kDoseBlock) flush();
    }
  }
  flush();
  make_dimension(index.id(), "dose", {}, 0);
  for (const H5Id* c :
       {&subject.id(), &time.id(), &intended.id(), &amount.id(), &status.id(), &which.id()})
    attach_dimension(index.id(), *c, 0, "dose");
  return counts;
}

void write_root(hid_t file, const PopulationSpec& ps, const PopulationResult& r,
                const PopulationWriteOptions& opts) {
  write_attr(file, "filetype", kPopulationFileType);
  write_attr(file, "format_version", static_cast<std::int64_t>(kPopulationFormatVersion));
  write_attr(file, "morsim_version", MORSIM_VERSION);
  write_attr(file, "scenario", ps.scenario.name);
  write_attr(file, "description", ps.scenario.description);
  write_attr(file, "config", ps.text);
  write_attr(file, "config_path", ps.path);
  write_attr(file, "command", opts.command);
  write_attr(file, "subjects", static_cast<std::int64_t>(ps.subjects));
  write_attr(file, "seed", static_cast<std::int64_t>(ps.seed));
  write_attr(file, "blocked_occupancy", ps.blocked_occupancy);
  write_attr(file, "rewarding_effect", ps.rewarding_effect);
  write_attr(file, "band_step_h", ps.band_step_h);
  std::vector<std::string> arms;
  for (const ArmPopulation& a : r.arms) arms.push_back(a.name);
  write_attr(file, "arms", arms);
}

void write_subjects(hid_t file, const PopulationSpec& ps, const PopulationResult& r) {
  H5Id g = create_group(file, "subjects");
  const hsize_t n = ps.subjects;
  std::vector<std::int32_t> ids(n);
  for (hsize_t i = 0; i < n; ++i) ids[i] = static_cast<std::int32_t>(i);
  H5Id subject = write_dataset(g.get(), "subject", ids, "1", "subject index (seeds its draws)");
  H5Id weight = write_dataset(g.get(), "weight", {n}, r.weight_kg, "kg",
                              "body weight; NaN without a [weight] covariate");
  std::vector<std::string> names, units;
  for (const population::Variability& v : ps.variability) {
    names.push_back(v.target.path());
    units.push_back(v.target.dimension().internal_unit());
  }
  H5Id pname = write_dataset(g.get(), "parameter", names, "", "parameter drawn per subject");
  H5Id values = write_dataset(g.get(), "parameters", {n, names.size()}, r.parameters,
                              "see parameter_units", "parameter values drawn (internal units)");
  write_attr(values.get(), "parameter_units", units);
  make_dimension(subject, "subject", {&weight, &values}, 0);
  make_dimension(pname, "parameter", {&values}, 1);
}

void write_arm(hid_t arms_group, const PopulationSpec& ps,
               const population::ParameterSampler& sampler, std::size_t arm,
               const PopulationResult& r) {
  const ArmPopulation& a = r.arms[arm];
  H5Id g = create_group(arms_group, a.name);
  const hid_t loc = g.get();
  const hsize_t nt = r.band_t_h.size(), nq = r.percentiles.size(), n = a.subjects.size();
  H5Id time = write_dataset(loc, "time", {nt}, r.band_t_h, "h", "time since the start of the run");
  write_attr(time.get(), "axis", "T");
  H5Id pct = write_dataset(loc, "percentile", {nq}, r.percentiles, "percent",
                           "percentile across subjects (numpy 'linear' definition)");
  H5Id ant = write_dataset(loc, "antagonist_occupancy", {nq, nt}, a.antagonist_bands, "1",
                           "percentiles of the summed antagonist occupancy across subjects");
  H5Id ago = write_dataset(loc, "agonist_occupancy", {nq, nt}, a.agonist_bands, "1",
                           "percentiles of the summed agonist occupancy across subjects");
  make_dimension(pct, "percentile", {&ant, &ago}, 0);
  make_dimension(time, "time", {&ant, &ago}, 1);

  std::vector<double> prot, taken, first;
  std::vector<std::int32_t> uses, rewarding;
  for (const population::SubjectOutcome& s : a.subjects) {
    prot.push_back(s.protected_day_fraction);
    taken.push_back(s.doses_taken_fraction);
    first.push_back(s.first_unblocked_use_h);
    uses.push_back(s.heroin_uses);
    rewarding.push_back(s.rewarding_uses);
  }
  // The subject index as a dimension scale, so that xarray opens the group with a named
  // dimension shared with /subjects.
  H5Id sg = create_group(loc, "subjects");
  std::vector<std::int32_t> ids(n);
  for (hsize_t i = 0; i < n; ++i) ids[i] = static_cast<std::int32_t>(i);
  H5Id subject = write_dataset(sg.get(), "subject", ids, "1", "subject index (seeds its draws)");
  H5Id d_prot = write_dataset(sg.get(), "protected_day_fraction", {n}, prot, "1",
                              "fraction of whole days with antagonist occupancy >= "
                              "blocked_occupancy at every band sample");
  H5Id d_taken = write_dataset(sg.get(), "doses_taken_fraction", {n}, taken, "1",
                               "antagonist doses taken / planned; NaN when the arm has none");
  H5Id d_uses = write_dataset(sg.get(), "heroin_uses", uses, "1", "agonist doses taken");
  H5Id d_rew = write_dataset(sg.get(), "rewarding_uses", rewarding, "1",
                             "uses whose peak agonist effect reached rewarding_effect");
  H5Id d_first = write_dataset(sg.get(), "first_rewarding_use_time", {n}, first, "h",
                               "time of the first rewarding (unblocked) use; NaN = none");
  const std::vector<std::int32_t> counts = write_doses(loc, ps, sampler, ps.arms[arm]);
  H5Id d_count = write_dataset(sg.get(), "dose_count", counts, "1",
                               "doses in the subject's log (rows of ../doses)");
  make_dimension(subject, "subject", {&d_prot, &d_taken, &d_uses, &d_rew, &d_first, &d_count}, 0);

  const population::ArmOutcomes& o = a.outcomes;
  H5Id og = create_group(loc, "outcomes");
  write_attr(og.get(), "mean_protected_day_fraction", o.mean_protected_day_fraction);
  write_attr(og.get(), "median_protected_day_fraction", o.median_protected_day_fraction);
  write_attr(og.get(), "mean_doses_taken_fraction", o.mean_doses_taken_fraction);
  write_attr(og.get(), "mean_heroin_uses", o.mean_heroin_uses);
  write_attr(og.get(), "mean_rewarding_uses", o.mean_rewarding_uses);
  write_attr(og.get(), "fraction_with_rewarding_use", o.fraction_with_rewarding_use);
  write_attr(og.get(), "median_time_to_first_rewarding_use_h",
             o.median_time_to_first_rewarding_use_h);
}

}  // namespace

void write_population(const std::string& path, const PopulationSpec& ps,
                      const PopulationResult& result, const PopulationWriteOptions& opts) {
  refuse_existing(path, opts.force);
  H5QuietErrors quiet;
  PartialFile partial(path);
  {
    H5Id fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create file properties");
    h5_check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
             "track link creation order");
    H5Id file(H5Fcreate(partial.path().c_str(), H5F_ACC_EXCL, fcpl.get(), H5P_DEFAULT), H5Fclose,
              "create " + partial.path());
    write_root(file.get(), ps, result, opts);
    write_subjects(file.get(), ps, result);
    H5Id arms = create_group(file.get(), "arms");
    const population::ParameterSampler sampler(ps);
    for (std::size_t a = 0; a < result.arms.size(); ++a)
      write_arm(arms.get(), ps, sampler, a, result);
    arms.close("close arms group");
    h5_check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush " + partial.path());
    file.close("close " + partial.path());
  }
  partial.commit(opts.force);
}

}  // namespace morsim
