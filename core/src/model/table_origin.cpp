#include "table_origin.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cstring>
#include <mutex>

namespace foldbench::model {

TableOrigin fillRandomNormal(torch::Tensor& table, double std) {
  TORCH_CHECK(table.device().is_cpu(), "tables are initialised on the CPU");
  auto generator = at::detail::getDefaultCPUGenerator();
  TableOrigin origin;
  origin.std = std;
  {
    std::lock_guard<std::mutex> lock(generator.mutex());
    origin.generatorState = generator.get_state();
  }
  torch::NoGradGuard noGrad;
  table.normal_(0.0, std);
  return origin;
}

void regenerateInto(const TableOrigin& origin, torch::Tensor& table) {
  TORCH_CHECK(table.device().is_cpu() && table.is_contiguous() && table.scalar_type() == torch::kFloat,
              "tables are regenerated into contiguous float tensors on the CPU");
  auto generator = at::make_generator<at::CPUGeneratorImpl>();
  generator.set_state(origin.generatorState);
  torch::NoGradGuard noGrad;
  table.normal_(0.0, origin.std, generator);
}

torch::Tensor regenerate(const TableOrigin& origin, at::IntArrayRef sizes) {
  auto table = torch::empty(sizes, torch::kFloat);
  regenerateInto(origin, table);
  return table;
}

std::uint64_t contentDigest(const torch::Tensor& tensor) {
  const auto bytes = tensor.to(torch::kCPU).contiguous();
  const auto* data = static_cast<const unsigned char*>(bytes.data_ptr());
  const std::size_t size = bytes.numel() * bytes.element_size();
  // Four independent lanes of a multiply-xor hash: fast enough for a 128 MiB table.
  std::uint64_t lanes[4] = {0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL, 0x27D4EB2F165667C5ULL};
  constexpr std::uint64_t kPrime = 0x100000001B3ULL;
  std::size_t at = 0;
  for (; at + 32 <= size; at += 32)
    for (int lane = 0; lane < 4; ++lane) {
      std::uint64_t word;
      std::memcpy(&word, data + at + 8 * lane, 8);
      lanes[lane] = (lanes[lane] ^ word) * kPrime;
    }
  std::uint64_t digest = size;
  for (; at < size; ++at) digest = (digest ^ data[at]) * kPrime;
  for (auto lane : lanes) digest = (digest ^ lane) * kPrime ^ (digest >> 29);
  return digest;
}

}  // namespace foldbench::model
