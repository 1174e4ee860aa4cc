#include "compact_tables.h"

#include <stdexcept>

namespace foldbench::train {

namespace {

torch::Tensor changedRowIndices(const torch::Tensor& table, const torch::Tensor& reference) {
  const auto rowChanged = reference.defined() ? table.ne(reference).any(1) : table.ne(0).any(1);
  return rowChanged.nonzero().squeeze(1);
}

// `rows` of `table`, as "rows" and "values" (in fp16 when `half`).
void writeRows(torch::serialize::OutputArchive& archive, const torch::Tensor& table, const torch::Tensor& rows,
               bool half) {
  torch::NoGradGuard noGrad;
  const auto cpuRows = rows.to(torch::kCPU);
  archive.write("rows", cpuRows);
  const auto values = table.to(torch::kCPU).index_select(0, cpuRows);
  archive.write("values", half ? values.to(torch::kHalf) : values);
}

std::string tableKey(std::size_t i) { return "table" + std::to_string(i); }

}  // namespace

void writeChangedRows(torch::serialize::OutputArchive& archive, const torch::Tensor& table,
                      const torch::Tensor& reference, bool half) {
  torch::NoGradGuard noGrad;
  const auto cpu = table.to(torch::kCPU).contiguous();
  writeRows(archive, cpu, changedRowIndices(cpu, reference), half);
}

torch::Tensor readChangedRows(torch::serialize::InputArchive& archive, torch::Tensor& into) {
  torch::Tensor rows, values;
  archive.read("rows", rows);
  archive.read("values", values);
  if (rows.numel() > 0 && (rows.min().item<std::int64_t>() < 0 || rows.max().item<std::int64_t>() >= into.size(0) ||
                           values.size(0) != rows.size(0) || values.sizes().slice(1) != into.sizes().slice(1)))
    throw std::runtime_error("stored rows do not fit a table of " + std::to_string(into.size(0)) + " rows");
  torch::NoGradGuard noGrad;
  into.index_copy_(0, rows.to(into.device()), values.to(into.options()));
  return rows;
}

void writeTables(torch::serialize::OutputArchive& archive, const std::vector<torch::Tensor>& tables,
                 const std::vector<model::TableOrigin>& origins, const std::vector<torch::Tensor>& touched, bool half) {
  for (std::size_t i = 0; i < tables.size(); ++i) {
    torch::serialize::OutputArchive entry;
    if (touched.size() == tables.size())
      writeRows(entry, tables[i], touched[i].nonzero().squeeze(1), half);
    else
      writeChangedRows(entry, tables[i], model::regenerate(origins[i], tables[i].sizes()), half);
    entry.write("generator", origins[i].generatorState);
    entry.write("std", torch::tensor(origins[i].std, torch::kDouble));
    entry.write("digest", torch::tensor(static_cast<std::int64_t>(model::contentDigest(tables[i])), torch::kLong));
    archive.write(tableKey(i), entry);
  }
}

std::vector<model::TableOrigin> readTables(torch::serialize::InputArchive& archive, std::vector<torch::Tensor>& tables,
                                           const std::string& source, std::vector<torch::Tensor>* storedRows) {
  std::vector<model::TableOrigin> origins;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    torch::serialize::InputArchive entry;
    if (!archive.try_read(tableKey(i), entry))
      throw std::runtime_error(source + " lacks n-gram table " + std::to_string(i));
    model::TableOrigin origin;
    torch::Tensor std, digest;
    entry.read("generator", origin.generatorState);
    entry.read("std", std);
    entry.read("digest", digest);
    origin.std = std.item<double>();
    try {
      auto& table = tables[i];
      if (table.device().is_cpu() && table.is_contiguous() && table.scalar_type() == torch::kFloat) {
        model::regenerateInto(origin, table);
      } else {  // a model already moved to the GPU (resuming there)
        torch::NoGradGuard noGrad;
        table.copy_(model::regenerate(origin, table.sizes()));
      }
      const auto rows = readChangedRows(entry, tables[i]);
      if (storedRows) storedRows->push_back(rows);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(source + ", n-gram table " + std::to_string(i) + ": " + e.what());
    }
    if (static_cast<std::uint64_t>(digest.item<std::int64_t>()) != model::contentDigest(tables[i]))
      throw std::runtime_error(source + ": n-gram table " + std::to_string(i) +
                               " did not rebuild to the saved values on this machine (its random generator draws "
                               "differently); load the checkpoint where it was trained, or retrain");
    origins.push_back(std::move(origin));
  }
  return origins;
}

HalfRoundedTables::HalfRoundedTables(std::vector<torch::Tensor> tables, const std::vector<torch::Tensor>& touched)
    : tables_(std::move(tables)) {
  if (touched.size() != tables_.size()) throw std::logic_error("HalfRoundedTables needs the touched rows of every table");
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < tables_.size(); ++i) {
    rows_.push_back(touched[i].nonzero().squeeze(1).to(tables_[i].device()));
    fullPrecision_.push_back(tables_[i].index_select(0, rows_[i]));
    tables_[i].index_copy_(0, rows_[i], fullPrecision_[i].to(torch::kHalf).to(tables_[i].scalar_type()));
  }
}

HalfRoundedTables::~HalfRoundedTables() {
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < tables_.size(); ++i) tables_[i].index_copy_(0, rows_[i], fullPrecision_[i]);
}

}  // namespace foldbench::train
