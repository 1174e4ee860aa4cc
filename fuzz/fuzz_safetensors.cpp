// safetensors files from strangers: the reader must refuse or accept any bytes cleanly, and an
// accepted file must hand out every float tensor and keep every range inside the file.
#include <cmath>
#include <vector>

#include "foldbench/pretrained/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foldbench::pretrained;
  try {
    const auto file = SafetensorsFile::fromBytes(std::vector<std::uint8_t>(data, data + size), "fuzz");
    std::uint64_t total = 0;
    for (const auto& e : file.entries()) {
      if (e.begin > e.end || e.end > size) __builtin_trap();
      if (e.byteCount() != e.elementCount() * dtypeSize(e.dtype)) __builtin_trap();
      total += e.byteCount();
      if (e.dtype == Dtype::F32 || e.dtype == Dtype::F16 || e.dtype == Dtype::BF16) {
        const auto values = file.toFloat(e.name);
        if (values.size() != e.elementCount()) __builtin_trap();
      } else {
        try {
          file.toFloat(e.name);
          __builtin_trap();  // only float dtypes convert
        } catch (const PretrainedError&) {
        }
      }
    }
    if (total > size) __builtin_trap();  // no overlaps: the ranges fit in the file together
  } catch (const PretrainedError&) {
  }
  return 0;
}
