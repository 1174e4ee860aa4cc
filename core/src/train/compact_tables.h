#pragma once
// Private: sparse tables stored as the rows that differ from a reference that can be rebuilt
// (the regenerated initial values of an n-gram table, or zeros for an optimizer moment), and
// read back bit for bit. A 2^18-row table trained on a few thousand sentences changes a
// fraction of its rows; storing it whole made a checkpoint hundreds of megabytes.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "table_origin.h"

namespace foldbench::train {

// Rows of `table` that differ from `reference` (undefined: zeros), as "rows" and "values"
// (in fp16 when `half`).
void writeChangedRows(torch::serialize::OutputArchive& archive, const torch::Tensor& table,
                      const torch::Tensor& reference = {}, bool half = false);
// Writes the stored rows over `into`, which already holds the reference values; returns their
// indices.
torch::Tensor readChangedRows(torch::serialize::InputArchive& archive, torch::Tensor& into);

// The n-gram tables of a model with their origins: changed rows, the generator state and a
// digest of the whole table, so loading proves it rebuilt exactly what was saved. `touched`
// (bool [rows] per table, from the optimizer) names a superset of the changed rows; without
// it the tables are compared with their regenerated initial values. `half` stores the rows in
// fp16, which is exact only for rows a HalfRoundedTables holds rounded (the digest would not
// match otherwise, and loading would refuse the file).
void writeTables(torch::serialize::OutputArchive& archive, const std::vector<torch::Tensor>& tables,
                 const std::vector<model::TableOrigin>& origins, const std::vector<torch::Tensor>& touched = {},
                 bool half = false);
// Rebuilds the tables in place and returns their origins; `storedRows` (optional) receives each
// table's stored row indices, every row that differs from its initial value. Throws, naming
// `source`, when the rebuilt table differs from the saved one (a machine whose generator draws
// differently).
std::vector<model::TableOrigin> readTables(torch::serialize::InputArchive& archive, std::vector<torch::Tensor>& tables,
                                           const std::string& source, std::vector<torch::Tensor>* storedRows = nullptr);

// For as long as it lives, the rows training changed (`touched`, bool [rows] per table) hold
// their values rounded to fp16; the fp32 values come back when it goes. Validation and saving
// run inside it, so the tables a checkpoint keeps in fp16 are the ones that were scored, while
// training goes on at full precision.
class HalfRoundedTables {
 public:
  HalfRoundedTables(std::vector<torch::Tensor> tables, const std::vector<torch::Tensor>& touched);
  ~HalfRoundedTables();
  HalfRoundedTables(const HalfRoundedTables&) = delete;
  HalfRoundedTables& operator=(const HalfRoundedTables&) = delete;

 private:
  std::vector<torch::Tensor> tables_, rows_, fullPrecision_;
};

}  // namespace foldbench::train
