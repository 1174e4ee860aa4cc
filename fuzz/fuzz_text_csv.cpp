// The plain-text CSV reader (header row, quoted fields).
#include "foldbench/data/readers.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foldbench::data;
  const auto path = foldbench::fuzz::writeInput(data, size, ".csv");
  ColumnMapping columns;
  columns.id = "id";
  for (const auto policy : {BadRowPolicy::Stop, BadRowPolicy::Skip}) {
    ReadOptions options;
    options.policy = policy;
    LoadReport report;
    try {
      readTextCsv(path, columns, nullptr, options, report);
    } catch (const std::exception&) {
    }
  }
  return 0;
}
