// Text files compiled into the binary: models/, configs/ and the plotting script.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace morsim {

struct Resource {
  const char* path;  // relative to the source tree: "configs/demo/depot-blockade.toml"
  const char* text;
};

const std::vector<Resource>& embedded_resources();

// The text of an embedded file, or nullptr when there is none with this path.
const char* find_resource(std::string_view path);

}  // namespace morsim
