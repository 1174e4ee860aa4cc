// config.json of a pretrained encoder, then the tensor name map over its required names (plus a
// head): any accepted config must accept its own required names and ignore the head.
#include "foldbench/pretrained/encoder_config.h"
#include "foldbench/pretrained/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foldbench::pretrained;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto config = parseEncoderConfig(text, "fuzz");
    if (config.numHiddenLayers > 64) return 0;  // the name list grows with the layer count
    auto names = requiredTensorNames(config);
    names.push_back("classifier.weight");
    const auto map = checkTensorNames(config, names, "fuzz");
    if (map.ignored.size() != 1 || map.canonicalToStored.size() != names.size() - 1) __builtin_trap();
  } catch (const PretrainedError&) {
  }
  return 0;
}
