#include "foldbench/pretrained/tensor_set.h"

#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace foldbench::pretrained {

namespace {

bool isFile(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string directoryOf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
}

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

}  // namespace

TensorSet TensorSet::openFile(const std::string& path) {
  TensorSet set;
  set.source_ = path;
  set.files_.push_back(SafetensorsFile::open(path));
  for (const auto& e : set.files_.back().entries()) set.where_[e.name] = 0;
  return set;
}

TensorSet TensorSet::openIndex(const std::string& indexPath) {
  std::ifstream in(indexPath, std::ios::binary);
  if (!in) throw PretrainedError(indexPath + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json index;
  try {
    index = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw PretrainedError(indexPath + ": not valid JSON: " + e.what());
  }
  if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
    throw PretrainedError(indexPath + ": no \"weight_map\" object of tensor -> shard file");

  const std::string directory = directoryOf(indexPath);
  TensorSet set;
  set.source_ = indexPath;
  std::map<std::string, std::size_t> shardIndex;       // shard file name -> files_
  std::map<std::string, std::string> listed;           // tensor -> shard file name
  for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
    if (!it.value().is_string())
      throw PretrainedError(indexPath + ": weight_map entry " + inQuotes(it.key()) + " is not a file name");
    const std::string shard = it.value().get<std::string>();
    // Shards live in the folder itself: no absolute paths, no way out through "..".
    if (shard.empty() || shard[0] == '/' || shard == ".." || shard.rfind("../", 0) == 0 ||
        shard.find("/../") != std::string::npos ||
        (shard.size() >= 3 && shard.compare(shard.size() - 3, 3, "/..") == 0))
      throw PretrainedError(indexPath + ": tensor " + inQuotes(it.key()) + " names the shard " + inQuotes(shard) +
                            ", which is not a file inside the model folder");
    listed[it.key()] = shard;
    if (shardIndex.count(shard)) continue;
    const std::string shardPath = directory + "/" + shard;
    if (!isFile(shardPath))
      throw PretrainedError(indexPath + ": shard " + inQuotes(shard) + " (for tensor " + inQuotes(it.key()) +
                            ") is missing: " + shardPath);
    shardIndex[shard] = set.files_.size();
    set.files_.push_back(SafetensorsFile::open(shardPath));
  }
  for (const auto& [shard, i] : shardIndex) {
    for (const auto& e : set.files_[i].entries()) {
      const auto before = set.where_.find(e.name);
      if (before != set.where_.end())
        throw PretrainedError(indexPath + ": tensor " + inQuotes(e.name) + " is in two shards, " +
                              set.files_[before->second].path() + " and " + set.files_[i].path());
      const auto l = listed.find(e.name);
      if (l == listed.end())
        throw PretrainedError(indexPath + ": shard " + set.files_[i].path() + " holds tensor " + inQuotes(e.name) +
                              ", which the weight_map does not list");
      if (l->second != shard)
        throw PretrainedError(indexPath + ": tensor " + inQuotes(e.name) + " is listed in shard " +
                              inQuotes(l->second) + " but found in " + set.files_[i].path());
      set.where_[e.name] = i;
    }
  }
  for (const auto& [name, shard] : listed)
    if (!set.where_.count(name))
      throw PretrainedError(indexPath + ": tensor " + inQuotes(name) + " is listed in shard " + inQuotes(shard) +
                            ", but " + set.files_[shardIndex.at(shard)].path() + " does not hold it");
  return set;
}

TensorSet TensorSet::openFolder(const std::string& directory) {
  const std::string single = directory + "/model.safetensors";
  const std::string index = directory + "/model.safetensors.index.json";
  if (isFile(single)) return openFile(single);
  if (isFile(index)) return openIndex(index);
  if (isFile(directory + "/pytorch_model.bin"))
    throw PretrainedError(directory + ": the weights are in pytorch_model.bin (Python pickles), which Foldbench "
                          "does not read. Convert them once with Python: python3 -c \"from transformers import "
                          "AutoModel; AutoModel.from_pretrained('" + directory + "').save_pretrained('" + directory +
                          "', safe_serialization=True)\"");
  throw PretrainedError(directory + ": no model.safetensors or model.safetensors.index.json");
}

std::vector<std::string> TensorSet::names() const {
  std::vector<std::string> out;
  out.reserve(where_.size());
  for (const auto& [name, i] : where_) out.push_back(name);
  return out;
}

const TensorEntry& TensorSet::entry(const std::string& name) const { return fileOf(name).entry(name); }

const SafetensorsFile& TensorSet::fileOf(const std::string& name) const {
  const auto it = where_.find(name);
  if (it == where_.end()) throw PretrainedError(source_ + ": no tensor " + inQuotes(name));
  return files_[it->second];
}

}  // namespace foldbench::pretrained
