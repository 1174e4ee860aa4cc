#include "fast_dropout.h"

#include <ATen/Parallel.h>

namespace foldbench::model {

namespace {
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

torch::Tensor fastDropout(const torch::Tensor& input, double p, bool training) {
  if (!training || p <= 0.0) return input;
  if (!input.device().is_cpu()) return torch::dropout(input, p, training);
  const auto seed = static_cast<std::uint64_t>(torch::randint(std::numeric_limits<std::int64_t>::max(), {1}).item<std::int64_t>());
  auto mask = torch::empty(input.sizes(), input.options().requires_grad(false));
  float* out = mask.data_ptr<float>();
  const float keep = static_cast<float>(1.0 / (1.0 - p));
  // Compare 32-bit halves of the hash against p: two mask entries per hash.
  const auto threshold = static_cast<std::uint32_t>(p * 4294967296.0);
  const std::int64_t n = mask.numel();
  at::parallel_for(0, (n + 1) / 2, 16384, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const std::uint64_t h = splitmix64(seed ^ static_cast<std::uint64_t>(i));
      out[2 * i] = static_cast<std::uint32_t>(h) >= threshold ? keep : 0.0f;
      if (2 * i + 1 < n) out[2 * i + 1] = static_cast<std::uint32_t>(h >> 32) >= threshold ? keep : 0.0f;
    }
  });
  return input * mask;
}

}  // namespace foldbench::model
