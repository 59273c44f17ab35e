// A plain uncompressed chunked HDF5 file. Every dataset is allocated when it is created
// (H5D_ALLOC_TIME_EARLY, no fill): afterwards writes only overwrite raw data at fixed places
// and never change the file's metadata, so a file whose structure was flushed stays valid
// whenever the process is killed. Chunks are written whole: no read-modify-write.
#include "population/occupancy_scratch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "io/h5_read.hpp"
#include "io/h5_write.hpp"
#include "model/errors.hpp"

namespace morsim::population {

namespace {

constexpr const char* kCheckpointType = "morsim-population-checkpoint";
constexpr std::int64_t kCheckpointVersion = 1;
constexpr std::size_t kOutcomeFields = 5;
enum Table : std::size_t { kOutcomes = 0, kDraws = 1, kDone = 2 };
constexpr const char* kTableNames[] = {"outcomes", "draws", "done"};

void to_fields(const SubjectOutcome& s, double* f) {
  f[0] = s.protected_day_fraction;
  f[1] = s.doses_taken_fraction;
  f[2] = s.heroin_uses;
  f[3] = s.rewarding_uses;
  f[4] = s.first_unblocked_use_h;
}

SubjectOutcome from_fields(const double* f) {
  SubjectOutcome s;
  s.protected_day_fraction = f[0];
  s.doses_taken_fraction = f[1];
  s.heroin_uses = static_cast<std::int32_t>(f[2]);  // stored exactly: small integers
  s.rewarding_uses = static_cast<std::int32_t>(f[3]);
  s.first_unblocked_use_h = f[4];
  return s;
}

// Chunked (or contiguous, chunk empty), allocated now, never filled: the unwritten parts are
// never read (units are read only once marked done).
H5Id create_dataset(hid_t file, const std::string& name, hid_t type,
                    const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk) {
  H5Id space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
             "create scratch space");
  H5Id plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create scratch properties");
  if (!chunk.empty())
    h5_check(H5Pset_chunk(plist.get(), static_cast<int>(chunk.size()), chunk.data()),
             "chunk scratch dataset");
  h5_check(H5Pset_alloc_time(plist.get(), H5D_ALLOC_TIME_EARLY), "allocate scratch dataset");
  h5_check(H5Pset_fill_time(plist.get(), H5D_FILL_TIME_NEVER), "leave scratch dataset unfilled");
  return H5Id(
      H5Dcreate2(file, name.c_str(), type, space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT),
      H5Dclose, "create scratch dataset " + name);
}

// One hyperslab of a dataset from or to a dense buffer of the same shape.
void transfer(hid_t ds, hid_t type, const std::vector<hsize_t>& start,
              const std::vector<hsize_t>& count, const void* in, void* out,
              const std::string& what) {
  H5QuietErrors quiet;  // per thread: a failure is reported once, as an OutputError
  H5Id fspace(H5Dget_space(ds), H5Sclose, "scratch file space");
  h5_check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                               nullptr),
           "select " + what);
  H5Id mspace(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose,
              "scratch memory space");
  if (in != nullptr)
    h5_check(H5Dwrite(ds, type, mspace.get(), fspace.get(), H5P_DEFAULT, in), "write " + what);
  else
    h5_check(H5Dread(ds, type, mspace.get(), fspace.get(), H5P_DEFAULT, out), "read " + what);
}

std::int64_t as_int(std::size_t v) { return static_cast<std::int64_t>(v); }

std::size_t read_size(hid_t file, const std::string& name) {
  const std::int64_t v = read_attr_int(file, name);
  if (v < 0) throw OutputError("checkpoint attribute " + name + " is negative");
  return static_cast<std::size_t>(v);
}

}  // namespace

std::size_t ScratchLayout::unit_count(std::size_t unit) const {
  return std::min(block, subjects - unit_first(unit));
}

std::string checkpoint_path(const std::string& output) { return output + ".checkpoint"; }

OccupancyScratch::OccupancyScratch(std::string path, bool keep)
    : path_(std::move(path)), keep_(keep) {}

std::unique_ptr<OccupancyScratch> OccupancyScratch::temporary(const std::string& path,
                                                              const ScratchLayout& layout) {
  std::unique_ptr<OccupancyScratch> s(new OccupancyScratch(path, false));
  s->on_signal_.emplace(path);
  s->layout_ = layout;
  s->create_file();
  return s;
}

std::unique_ptr<OccupancyScratch> OccupancyScratch::create_checkpoint(const std::string& path,
                                                                      const ScratchLayout& layout,
                                                                      const RunIdentity& identity) {
  {
    H5QuietErrors quiet;        // a failure (a full disk) is reported once, as an OutputError
    PartialFile partial(path);  // removed on failure and on SIGINT/SIGTERM until renamed
    OccupancyScratch s(partial.path(), true);
    s.layout_ = layout;
    s.identity_ = identity;
    s.create_file();
    s.write_header();
    s.series_.clear();
    s.tables_.clear();
    s.file_->close("close checkpoint " + partial.path());
    partial.commit(false);
  }
  return open_checkpoint(path);
}

std::unique_ptr<OccupancyScratch> OccupancyScratch::open_checkpoint(const std::string& path,
                                                                    bool writable) {
  std::unique_ptr<OccupancyScratch> s(new OccupancyScratch(path, true));
  s->open_file(writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY);
  return s;
}

OccupancyScratch::~OccupancyScratch() {
  H5QuietErrors quiet;  // closing after a failed write fails again: nothing new to say
  series_.clear();
  tables_.clear();
  try {
    if (file_) file_->close("close scratch file");
  } catch (...) {  // nothing to report: a temporary is removed next, a checkpoint stays valid
  }
  if (!keep_) unlink(path_.c_str());
}

void OccupancyScratch::create_file() {
  H5QuietErrors quiet;
  file_.emplace(H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                "create scratch file " + path_);
  const ScratchLayout& l = layout_;
  const hsize_t n = l.subjects, nt = l.times, block = std::min(l.subjects, l.block);
  for (std::size_t s = 0; s < 2 * l.arms; ++s)
    series_.push_back(create_dataset(file_->get(), "s" + std::to_string(s), H5T_NATIVE_FLOAT,
                                     {n, nt}, {block, std::min<hsize_t>(nt, kTimeChunk)}));
  tables_.push_back(create_dataset(file_->get(), kTableNames[kOutcomes], H5T_NATIVE_DOUBLE,
                                   {l.arms, n, kOutcomeFields}, {1, block, kOutcomeFields}));
  tables_.push_back(create_dataset(file_->get(), kTableNames[kDraws], H5T_NATIVE_DOUBLE,
                                   {n, 1 + l.parameters}, {block, 1 + l.parameters}));
  tables_.push_back(
      create_dataset(file_->get(), kTableNames[kDone], H5T_NATIVE_UCHAR, {l.units()}, {}));
  done_.assign(l.units(), 0);
  transfer(table(kDone), H5T_NATIVE_UCHAR, {0}, {done_.size()}, done_.data(), nullptr,
           "scratch done mask");
}

void OccupancyScratch::write_header() {
  const hid_t f = file_->get();
  write_attr(f, "filetype", kCheckpointType);
  write_attr(f, "format_version", kCheckpointVersion);
  write_attr(f, "arms", as_int(layout_.arms));
  write_attr(f, "subjects", as_int(layout_.subjects));
  write_attr(f, "times", as_int(layout_.times));
  write_attr(f, "parameters", as_int(layout_.parameters));
  write_attr(f, "block", as_int(layout_.block));
  write_attr(f, "config_hash", identity_.config_hash);
  write_attr(f, "model_hash", identity_.model_hash);
  write_attr(f, "software", identity_.software);
  write_attr(f, "seed", std::to_string(identity_.seed));  // a uint64 may not fit an int64
}

void OccupancyScratch::read_header() {
  const hid_t f = file_->get();
  if (!has_attr(f, "filetype") || read_attr_string(f, "filetype") != kCheckpointType)
    throw OutputError(path_ + " is not a population checkpoint");
  if (read_attr_int(f, "format_version") != kCheckpointVersion)
    throw OutputError(path_ + ": a checkpoint of another format version");
  layout_.arms = read_size(f, "arms");
  layout_.subjects = read_size(f, "subjects");
  layout_.times = read_size(f, "times");
  layout_.parameters = read_size(f, "parameters");
  layout_.block = std::max<std::size_t>(read_size(f, "block"), 1);
  identity_.config_hash = read_attr_string(f, "config_hash");
  identity_.model_hash = read_attr_string(f, "model_hash");
  identity_.software = read_attr_string(f, "software");
  identity_.subjects = layout_.subjects;
  identity_.seed = std::stoull(read_attr_string(f, "seed"));
}

void OccupancyScratch::open_file(unsigned flags) {
  H5QuietErrors quiet;
  file_.emplace(H5Fopen(path_.c_str(), flags, H5P_DEFAULT), H5Fclose, "open " + path_);
  read_header();
  for (std::size_t s = 0; s < 2 * layout_.arms; ++s)
    series_.emplace_back(H5Dopen2(file_->get(), ("s" + std::to_string(s)).c_str(), H5P_DEFAULT),
                         H5Dclose, "open checkpoint occupancies");
  for (const char* name : kTableNames)
    tables_.emplace_back(H5Dopen2(file_->get(), name, H5P_DEFAULT), H5Dclose,
                         std::string("open checkpoint ") + name);
  done_.assign(layout_.units(), 0);
  transfer(table(kDone), H5T_NATIVE_UCHAR, {0}, {done_.size()}, nullptr, done_.data(),
           "checkpoint done mask");
}

void OccupancyScratch::flush() {
  H5QuietErrors quiet;
  h5_check(H5Fflush(file_->get(), H5F_SCOPE_LOCAL), "flush checkpoint " + path_);
}

void OccupancyScratch::write_unit(const UnitResult& u) {
  const ScratchLayout& l = layout_;
  const std::size_t a = l.unit_arm(u.unit), first = l.unit_first(u.unit);
  const std::size_t count = l.unit_count(u.unit);
  transfer(series_[2 * a].get(), H5T_NATIVE_FLOAT, {first, 0}, {count, l.times}, u.antagonist,
           nullptr, "scratch rows");
  transfer(series_[2 * a + 1].get(), H5T_NATIVE_FLOAT, {first, 0}, {count, l.times}, u.agonist,
           nullptr, "scratch rows");
  std::vector<double> fields(count * kOutcomeFields);
  for (std::size_t k = 0; k < count; ++k) to_fields(u.outcomes[k], &fields[k * kOutcomeFields]);
  transfer(table(kOutcomes), H5T_NATIVE_DOUBLE, {a, first, 0}, {1, count, kOutcomeFields},
           fields.data(), nullptr, "scratch outcomes");
  if (u.draws != nullptr)
    transfer(table(kDraws), H5T_NATIVE_DOUBLE, {first, 0}, {count, 1 + l.parameters}, u.draws,
             nullptr, "scratch draws");
  if (keep_) flush();  // the unit's data on disk before the flag that says they are there
  done_[u.unit] = 1;
  transfer(table(kDone), H5T_NATIVE_UCHAR, {u.unit}, {1}, &done_[u.unit], nullptr,
           "scratch done mask");
  if (keep_) flush();
}

void OccupancyScratch::read_outcomes(std::size_t unit, SubjectOutcome* out) {
  const std::size_t count = layout_.unit_count(unit);
  std::vector<double> fields(count * kOutcomeFields);
  transfer(table(kOutcomes), H5T_NATIVE_DOUBLE,
           {layout_.unit_arm(unit), layout_.unit_first(unit), 0}, {1, count, kOutcomeFields},
           nullptr, fields.data(), "checkpoint outcomes");
  for (std::size_t k = 0; k < count; ++k) out[k] = from_fields(&fields[k * kOutcomeFields]);
}

void OccupancyScratch::read_draws(std::size_t unit, double* out) {
  transfer(table(kDraws), H5T_NATIVE_DOUBLE, {layout_.unit_first(unit), 0},
           {layout_.unit_count(unit), 1 + layout_.parameters}, nullptr, out, "checkpoint draws");
}

void OccupancyScratch::read_columns(std::size_t series, std::size_t first_t, std::size_t count_t,
                                    float* out) {
  transfer(series_[series].get(), H5T_NATIVE_FLOAT, {0, first_t}, {layout_.subjects, count_t},
           nullptr, out, "scratch columns");
}

CheckpointStatus inspect_checkpoint(const std::string& path, const RunIdentity& now) {
  const std::unique_ptr<OccupancyScratch> s = OccupancyScratch::open_checkpoint(path, false);
  CheckpointStatus st;
  st.units = s->done().size();
  st.done = static_cast<std::size_t>(std::count(s->done().begin(), s->done().end(), 1));
  st.mismatch = identity_mismatch(s->identity(), now);
  return st;
}

}  // namespace morsim::population
