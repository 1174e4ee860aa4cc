// The KLUE JSON / JSON Lines reader.
#include "foldbench/data/readers.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foldbench::data;
  const auto path = foldbench::fuzz::writeInput(data, size, ".json");
  for (const auto policy : {BadRowPolicy::Stop, BadRowPolicy::Skip}) {
    ReadOptions options;
    options.policy = policy;
    LoadReport report;
    try {
      readKlueJson(path, nullptr, options, report);
    } catch (const std::exception&) {
    }
  }
  return 0;
}
