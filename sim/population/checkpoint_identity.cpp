// FNV-1a is enough here: the hash guards against resuming the wrong run by mistake, not
// against someone forging a checkpoint.
#include "population/checkpoint_identity.hpp"

#include <cstdio>

#include "config/load_scenario.hpp"
#include "io/build_info.hpp"

namespace morsim::population {

namespace {

std::string fnv1a64_hex(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::string count_mismatch(const char* what, std::uint64_t stored, std::uint64_t now) {
  return std::string(what) + " differ: " + std::to_string(stored) + " in the checkpoint, " +
         std::to_string(now) + " now";
}

}  // namespace

RunIdentity run_identity(const PopulationSpec& ps) {
  RunIdentity id;
  id.config_hash = fnv1a64_hex(ps.text);
  id.model_hash = fnv1a64_hex(describe_model(ps.scenario));
  id.software = std::string("morsim ") + MORSIM_VERSION + " (" + morsim_git_sha() + ")";
  id.subjects = ps.subjects;
  id.seed = ps.seed;
  return id;
}

std::string identity_mismatch(const RunIdentity& stored, const RunIdentity& now) {
  if (stored.config_hash != now.config_hash) return "the config text differs";
  if (stored.subjects != now.subjects)
    return count_mismatch("subjects", stored.subjects, now.subjects);
  if (stored.seed != now.seed) return count_mismatch("seeds", stored.seed, now.seed);
  if (stored.model_hash != now.model_hash)
    return "the model (compound or formulation files) differs";
  if (stored.software != now.software)
    return "written by " + stored.software + ", this is " + now.software;
  return "";
}

}  // namespace morsim::population
