#include "checkpoint.h"

#include "foldbench/platform/atomic_file.h"

#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "compact_tables.h"

namespace foldbench::train {

namespace {

using TensorSet = std::set<const c10::TensorImpl*>;

// torch::nn::Module::save and load, except for the tensors in `skip` (stored elsewhere), so a
// checkpoint without skipped tensors reads like one that Module::save wrote.
// `storage`: the dtype parameters are written in (float32, or half/bfloat16 for a halved checkpoint).
void writeModule(const torch::nn::Module& module, torch::serialize::OutputArchive& archive, const TensorSet& skip,
                 torch::Dtype storage) {
  for (const auto& p : module.named_parameters(/*recurse=*/false))
    if (!skip.count(p.value().unsafeGetTensorImpl()))
      archive.write(p.key(), p.value().is_floating_point() ? p.value().to(storage) : p.value());
  for (const auto& b : module.named_buffers(/*recurse=*/false)) archive.write(b.key(), b.value(), /*is_buffer=*/true);
  for (const auto& child : module.named_children()) {
    torch::serialize::OutputArchive childArchive;
    writeModule(*child.value(), childArchive, skip, storage);
    archive.write(child.key(), childArchive);
  }
}

// A parameter stored in another dtype (a halved checkpoint) is converted into the parameter's own.
void readParameter(torch::serialize::InputArchive& archive, const std::string& key, torch::Tensor& parameter) {
  torch::Tensor stored;
  archive.read(key, stored);
  if (stored.sizes() != parameter.sizes()) {
    std::ostringstream message;
    message << "parameter '" << key << "' is stored with shape " << stored.sizes() << ", the model has "
            << parameter.sizes();
    throw std::runtime_error(message.str());
  }
  torch::NoGradGuard noGrad;
  if (stored.scalar_type() == parameter.scalar_type()) parameter.set_(stored);
  else parameter.copy_(stored);
}

void readModule(torch::nn::Module& module, torch::serialize::InputArchive& archive, const TensorSet& skip) {
  for (auto& p : module.named_parameters(/*recurse=*/false))
    if (!skip.count(p.value().unsafeGetTensorImpl())) readParameter(archive, p.key(), p.value());
  for (auto& b : module.named_buffers(/*recurse=*/false)) archive.read(b.key(), b.value(), /*is_buffer=*/true);
  for (const auto& child : module.named_children()) {
    torch::serialize::InputArchive childArchive;
    archive.read(child.key(), childArchive);
    readModule(*child.value(), childArchive, skip);
  }
}

torch::Dtype storageDtype(config::Precision precision) {
  switch (precision) {
    case config::Precision::Fp16: return torch::kHalf;
    case config::Precision::Bf16: return torch::kBFloat16;
    case config::Precision::Fp32: break;
  }
  return torch::kFloat;
}

TensorSet implsOf(const std::vector<torch::Tensor>& tensors) {
  TensorSet impls;
  for (const auto& t : tensors) impls.insert(t.unsafeGetTensorImpl());
  return impls;
}

}  // namespace

void saveCheckpoint(const std::string& path, model::ClassifierModule& model, const TrainingOptimizer* optimizer,
                    const CheckpointState& s, const TrainingOptimizer* rowsFrom) {
  namespace fs = std::filesystem;
  if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
  torch::serialize::OutputArchive archive;
  // Tables whose initial values can be regenerated keep only their changed rows.
  const auto tables = model.sparseParameters();
  const bool compact = !tables.empty() && model.tableOrigins().size() == tables.size();
  torch::serialize::OutputArchive weights;
  writeModule(model, weights, compact ? implsOf(tables) : TensorSet{}, storageDtype(s.weightPrecision));
  archive.write("model", weights);
  if (compact) {
    torch::serialize::OutputArchive tableArchive;
    writeTables(tableArchive, tables, model.tableOrigins(),
                rowsFrom ? rowsFrom->touchedRows() : std::vector<torch::Tensor>{}, s.halfTables);
    archive.write("tables", tableArchive);
  }
  if (optimizer) {
    torch::serialize::OutputArchive opt;
    optimizer->save(opt);
    archive.write("optimizer", opt);
  }
  const nlohmann::json meta = {{"epoch", s.epoch},
                               {"batches_done", s.batchesDone},
                               {"step", s.step},
                               {"best_epoch", s.bestEpoch},
                               {"best_score", s.bestScore},
                               {"best_train_accuracy", s.bestTrainAccuracy},
                               {"evaluations_without_improvement", s.evaluationsWithoutImprovement},
                               {"epoch_loss_sum", s.epochTotals.lossSum},
                               {"epoch_correct", s.epochTotals.correct},
                               {"epoch_seen", s.epochTotals.seen},
                               {"num_labels", s.numLabels},
                               {"vocab_size", s.vocabSize},
                               {"max_len", s.maxLen},
                               {"weight_precision", nameOf(s.weightPrecision)},
                               {"config", s.configJson}};
  archive.write("meta", c10::IValue(meta.dump()));
  {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("generator", generator.get_state());
  }
  // LibTorch's file writer throws from a destructor on a short write (std::terminate on a full
  // disk): the archive goes through a writer that never fails inside LibTorch, and the first
  // error surfaces at commit, after which the earlier checkpoint at `path` is still whole.
  platform::AtomicFile file(path);
  archive.save_to([&file](const void* data, std::size_t bytes) { return file.writeOrRemember(data, bytes); });
  file.commit();
}

CheckpointReader::CheckpointReader(const std::string& path) : path_(path) {
  if (!std::filesystem::exists(path)) throw std::runtime_error("checkpoint not found: " + path);
  try {
    archive_.load_from(path, torch::kCPU);
  } catch (const c10::Error& e) {
    throw std::runtime_error("cannot read checkpoint " + path + ": " + e.what_without_backtrace());
  }
}

CheckpointState CheckpointReader::state() {
  c10::IValue value;
  if (!archive_.try_read("meta", value) || !value.isString())
    throw std::runtime_error(path_ + " is not a Foldbench checkpoint (no metadata)");
  const auto meta = nlohmann::json::parse(value.toStringRef());
  CheckpointState s;
  s.epoch = meta.at("epoch");
  s.step = meta.at("step");
  s.bestEpoch = meta.at("best_epoch");
  s.bestScore = meta.at("best_score");
  // Absent from checkpoints written before resuming continued mid-epoch.
  s.batchesDone = meta.value("batches_done", 0);
  s.bestTrainAccuracy = meta.value("best_train_accuracy", 0.0);
  s.evaluationsWithoutImprovement = meta.value("evaluations_without_improvement", 0);
  s.epochTotals = {meta.value("epoch_loss_sum", 0.0), meta.value("epoch_correct", 0L), meta.value("epoch_seen", 0L)};
  s.numLabels = meta.at("num_labels");
  s.vocabSize = meta.at("vocab_size");
  s.maxLen = meta.at("max_len");
  s.configJson = meta.at("config");
  s.weightPrecision = enumFromString<config::Precision>(meta.value("weight_precision", "fp32"));
  return s;
}

torch::Tensor CheckpointReader::generatorState() {
  torch::Tensor state;
  if (!archive_.try_read("generator", state))
    throw std::runtime_error(path_ + " does not record the random generator, so it cannot resume mid-epoch");
  return state;
}

void CheckpointReader::loadInto(model::ClassifierModule& model, TrainingOptimizer* optimizer) {
  torch::serialize::InputArchive weights, tableArchive;
  archive_.read("model", weights);
  auto tables = model.sparseParameters();
  const bool compact = !tables.empty() && archive_.try_read("tables", tableArchive);
  readModule(model, weights, compact ? implsOf(tables) : TensorSet{});
  std::vector<torch::Tensor> storedRows;
  if (compact) model.setTableOrigins(readTables(tableArchive, tables, path_, &storedRows));
  if (optimizer) {
    // Rows training had changed are the stored ones: the optimizer's record of changed rows
    // starts from them, so the next checkpoint stays exact without comparing tables.
    for (std::size_t i = 0; i < storedRows.size(); ++i) optimizer->markTouched(i, storedRows[i]);
    torch::serialize::InputArchive opt;
    if (!archive_.try_read("optimizer", opt))
      throw std::runtime_error(path_ + " has no optimizer state (train.save_optimizer was off); it cannot resume training");
    optimizer->load(opt);
  }
}

}  // namespace foldbench::train
