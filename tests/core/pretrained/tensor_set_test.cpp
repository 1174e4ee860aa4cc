// A model folder's weights as one set: model.safetensors, or shards listed by
// model.safetensors.index.json, each inconsistency refused by name.
#include "foldbench/pretrained/tensor_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "safetensors_writer.h"

namespace foldbench::pretrained {
namespace {

using ::testing::HasSubstr;
using namespace foldbench::pretrained::test_files;

void writeText(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string refusalOfIndex(const TempDir& dir) {
  try {
    TensorSet::openIndex((dir / "model.safetensors.index.json").string());
  } catch (const PretrainedError& e) {
    return e.what();
  }
  return "";
}

// Two shards: a and b in the first, c in the second.
void writeShards(const TempDir& dir) {
  writeFile(dir / "model-00001-of-00002.safetensors",
            serialize({{"a", "F32", {2}, f32Bytes({1, 2})}, {"b", "F16", {1}, u16Bytes({0x3C00})}}));
  writeFile(dir / "model-00002-of-00002.safetensors", serialize({{"c", "BF16", {1}, u16Bytes({0xC000})}}));
}

const char* kIndex = R"({"metadata": {"total_size": 14}, "weight_map": {
  "a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors",
  "c": "model-00002-of-00002.safetensors"}})";

TEST(TensorSet, ShardsOpenAsOneSet) {
  TempDir dir;
  writeShards(dir);
  writeText(dir / "model.safetensors.index.json", kIndex);
  const auto set = TensorSet::openFolder(dir.path().string());
  EXPECT_EQ(set.names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(set.files().size(), 2u);
  EXPECT_EQ(set.toFloat("a"), (std::vector<float>{1, 2}));
  EXPECT_EQ(set.toFloat("b"), (std::vector<float>{1}));
  EXPECT_EQ(set.toFloat("c"), (std::vector<float>{-2}));
  EXPECT_THAT(set.fileOf("c").path(), HasSubstr("model-00002-of-00002.safetensors"));
  EXPECT_THROW(set.entry("d"), PretrainedError);
}

TEST(TensorSet, SingleFileIsPreferredAndOpened) {
  TempDir dir;
  writeFile(dir / "model.safetensors", serialize({{"w", "F32", {1}, f32Bytes({5})}}));
  writeText(dir / "model.safetensors.index.json", "not read");
  const auto set = TensorSet::openFolder(dir.path().string());
  EXPECT_EQ(set.names(), std::vector<std::string>{"w"});
  EXPECT_EQ(set.toFloat("w"), std::vector<float>{5});
}

TEST(TensorSet, RefusesAMissingShard) {
  TempDir dir;
  writeShards(dir);
  std::filesystem::remove(dir / "model-00002-of-00002.safetensors");
  writeText(dir / "model.safetensors.index.json", kIndex);
  EXPECT_THAT(refusalOfIndex(dir), HasSubstr("shard 'model-00002-of-00002.safetensors' (for tensor 'c') is missing"));
}

TEST(TensorSet, RefusesATensorListedButAbsentFromItsShard) {
  TempDir dir;
  writeShards(dir);
  writeText(dir / "model.safetensors.index.json", R"({"weight_map": {
    "a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors",
    "c": "model-00002-of-00002.safetensors", "d": "model-00002-of-00002.safetensors"}})");
  EXPECT_THAT(refusalOfIndex(dir), HasSubstr("tensor 'd' is listed in shard 'model-00002-of-00002.safetensors', but"));
}

TEST(TensorSet, RefusesATensorInTwoShards) {
  TempDir dir;
  writeShards(dir);
  writeFile(dir / "model-00002-of-00002.safetensors",
            serialize({{"c", "BF16", {1}, u16Bytes({0xC000})}, {"a", "F32", {1}, f32Bytes({9})}}));
  writeText(dir / "model.safetensors.index.json", kIndex);
  EXPECT_THAT(refusalOfIndex(dir), HasSubstr("tensor 'a' is in two shards"));
}

TEST(TensorSet, RefusesATensorTheIndexDoesNotList) {
  TempDir dir;
  writeShards(dir);
  writeText(dir / "model.safetensors.index.json", R"({"weight_map": {
    "a": "model-00001-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"}})");
  EXPECT_THAT(refusalOfIndex(dir), HasSubstr("holds tensor 'b', which the weight_map does not list"));
}

TEST(TensorSet, RefusesShardsOutsideTheFolderAndABadIndex) {
  TempDir dir;
  writeShards(dir);
  writeText(dir / "model.safetensors.index.json", R"({"weight_map": {"a": "../model-00001-of-00002.safetensors"}})");
  EXPECT_THAT(refusalOfIndex(dir), HasSubstr("not a file inside the model folder"));
  writeText(dir / "model.safetensors.index.json", R"({"weight_map": {"a": "/etc/passwd"}})");
  EXPECT_THAT(refusalOfIndex(dir), HasSubstr("not a file inside the model folder"));
  writeText(dir / "model.safetensors.index.json", R"({"weights": {}})");
  EXPECT_THAT(refusalOfIndex(dir), HasSubstr("no \"weight_map\""));
  writeText(dir / "model.safetensors.index.json", R"({"weight_map": {"a": 1}})");
  EXPECT_THAT(refusalOfIndex(dir), HasSubstr("weight_map entry 'a' is not a file name"));
}

TEST(TensorSet, AFolderWithOnlyPickledWeightsSaysHowToConvert) {
  TempDir dir;
  writeText(dir / "pytorch_model.bin", "PK");
  try {
    TensorSet::openFolder(dir.path().string());
    FAIL();
  } catch (const PretrainedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("pytorch_model.bin"));
    EXPECT_THAT(e.what(), HasSubstr("safe_serialization=True"));
  }
  std::filesystem::remove(dir / "pytorch_model.bin");
  EXPECT_THROW(TensorSet::openFolder(dir.path().string()), PretrainedError);
}

}  // namespace
}  // namespace foldbench::pretrained
