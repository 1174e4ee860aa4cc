// The label map file (name<TAB>id lines).
#include "foldbench/data/label_map.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = foldbench::fuzz::writeInput(data, size, ".labels.tsv");
  try {
    const auto labels = foldbench::data::LabelMap::readFile(path);
    for (int id = 0; id < labels.size(); ++id)
      if (labels.idOf(labels.nameOf(id)) != id) __builtin_trap();  // ids and names must agree
  } catch (const std::exception&) {
  }
  return 0;
}
