#pragma once
// The weights of a model folder as one set of named tensors: a single model.safetensors, or the
// shards that model.safetensors.index.json lists. Plain C++, no LibTorch.
#include <map>
#include <string>
#include <vector>

#include "foldbench/pretrained/safetensors.h"

namespace foldbench::pretrained {

class TensorSet {
 public:
  // One safetensors file.
  static TensorSet openFile(const std::string& path);
  // A sharded model: {"weight_map": {tensor: shard file name}} (other keys, e.g. "metadata", are
  // not used). Refused: a shard that is missing or escapes the folder, a tensor the map lists but
  // its shard lacks, a tensor held by two shards, and a tensor a shard holds that the map omits.
  static TensorSet openIndex(const std::string& indexPath);
  // A folder: model.safetensors, else model.safetensors.index.json; pytorch_model.bin alone is
  // refused with the command that converts it.
  static TensorSet openFolder(const std::string& directory);

  std::vector<std::string> names() const;  // sorted
  bool contains(const std::string& name) const { return where_.count(name) != 0; }
  const TensorEntry& entry(const std::string& name) const;
  const SafetensorsFile& fileOf(const std::string& name) const;
  std::vector<float> toFloat(const std::string& name) const { return fileOf(name).toFloat(name); }
  // Where the tensors came from (the file, or the index), for messages.
  const std::string& source() const { return source_; }
  const std::vector<SafetensorsFile>& files() const { return files_; }

 private:
  std::string source_;
  std::vector<SafetensorsFile> files_;
  std::map<std::string, std::size_t> where_;  // tensor -> index into files_
};

}  // namespace foldbench::pretrained
