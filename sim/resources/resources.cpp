// Lookup in the table of embedded resources.
#include "resources/resources.hpp"

namespace morsim {

const char* find_resource(std::string_view path) {
  for (const Resource& r : embedded_resources())
    if (path == r.path) return r.text;
  return nullptr;
}

}  // namespace morsim
