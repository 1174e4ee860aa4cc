// Experiment configs: any accepted config must write back to JSON that reads to the same.
#include <string>

#include "foldbench/config/experiment_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foldbench::config;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto config = fromJson(text, "fuzz");
    const auto json = toJson(config);
    if (toJson(fromJson(json, "round trip")) != json) __builtin_trap();
  } catch (const std::exception&) {
  }
  return 0;
}
