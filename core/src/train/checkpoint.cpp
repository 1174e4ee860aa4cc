#include "checkpoint.h"

#include <filesystem>
#include <nlohmann/json.hpp>

namespace foldbench::train {

void saveCheckpoint(const std::string& path, model::ClassifierModule& model, const TrainingOptimizer* optimizer,
                    const CheckpointState& s) {
  namespace fs = std::filesystem;
  if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive weights;
  model.save(weights);
  archive.write("model", weights);
  if (optimizer) {
    torch::serialize::OutputArchive opt;
    optimizer->save(opt);
    archive.write("optimizer", opt);
  }
  const nlohmann::json meta = {{"epoch", s.epoch},         {"step", s.step},           {"best_epoch", s.bestEpoch},
                               {"best_score", s.bestScore}, {"num_labels", s.numLabels}, {"vocab_size", s.vocabSize},
                               {"max_len", s.maxLen},       {"config", s.configJson}};
  archive.write("meta", c10::IValue(meta.dump()));
  const std::string tmp = path + ".tmp";
  archive.save_to(tmp);
  fs::rename(tmp, path);
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
  s.numLabels = meta.at("num_labels");
  s.vocabSize = meta.at("vocab_size");
  s.maxLen = meta.at("max_len");
  s.configJson = meta.at("config");
  return s;
}

void CheckpointReader::loadInto(model::ClassifierModule& model, TrainingOptimizer* optimizer) {
  torch::serialize::InputArchive weights;
  archive_.read("model", weights);
  model.load(weights);
  if (optimizer) {
    torch::serialize::InputArchive opt;
    if (!archive_.try_read("optimizer", opt))
      throw std::runtime_error(path_ + " has no optimizer state (train.save_optimizer was off); it cannot resume training");
    optimizer->load(opt);
  }
}

}  // namespace foldbench::train
