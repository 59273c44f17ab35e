// A depth-first walk along the metabolite links.
#include "model/metabolite_graph.hpp"

#include <set>
#include <vector>

namespace morsim {

bool produces_agonist(const ScenarioSpec& spec, const std::string& compound) {
  std::set<std::string> seen;  // guards against loops, which validate() rejects anyway
  std::vector<std::string> todo{compound};
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    if (!seen.insert(name).second) continue;
    const Compound* c = spec.find_compound(name);
    if (!c) continue;
    if (c->is_agonist()) return true;
    for (const MetaboliteLink& m : c->metabolites) todo.push_back(m.metabolite);
  }
  return false;
}

}  // namespace morsim
