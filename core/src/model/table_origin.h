#pragma once
// Private: how a hashed n-gram table got its initial values, so they can be drawn again bit for
// bit. Training changes only the rows its examples hash to (the sparse optimizer never touches
// the others), so a checkpoint can keep those rows and regenerate the rest.
#include <torch/torch.h>

#include <cstdint>

namespace foldbench::model {

struct TableOrigin {
  torch::Tensor generatorState;  // the CPU generator's state just before the table was filled
  double std = 0.0;              // the fill: N(0, std)
};

// Fills `table` (on the CPU) with N(0, std) from torch's default generator, as training always
// has, and records where the draw started.
TableOrigin fillRandomNormal(torch::Tensor& table, double std);

// The values fillRandomNormal drew, drawn again from a private generator (the default one is
// left alone) as a float CPU tensor of `sizes`, or into `table` (contiguous, float, on the CPU).
torch::Tensor regenerate(const TableOrigin& origin, at::IntArrayRef sizes);
void regenerateInto(const TableOrigin& origin, torch::Tensor& table);

// A 64-bit digest of a tensor's bytes, to prove a rebuilt table equals the saved one.
std::uint64_t contentDigest(const torch::Tensor& tensor);

}  // namespace foldbench::model
