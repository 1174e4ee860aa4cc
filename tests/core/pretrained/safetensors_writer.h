#pragma once
// Test helper: writes tensors in the safetensors layout as the reference writer does (an 8-byte
// little-endian header length, the JSON header padded with spaces to a multiple of 8, the data in
// the order given, little-endian), and raw variants for the refusal tests.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace foldbench::pretrained::test_files {

struct RawTensor {
  std::string name;
  std::string dtype;
  std::vector<std::uint64_t> shape;
  std::vector<std::uint8_t> bytes;
};

inline std::vector<std::uint8_t> f32Bytes(const std::vector<float>& values) {
  std::vector<std::uint8_t> out;
  for (float v : values) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  }
  return out;
}

inline std::vector<std::uint8_t> u16Bytes(const std::vector<std::uint16_t>& values) {
  std::vector<std::uint8_t> out;
  for (auto v : values) {
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  return out;
}

inline std::string shapeJson(const std::vector<std::uint64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

// A header text and data section into file bytes: the length, the header padded with spaces to a
// multiple of 8 (unless pad is false), then the data.
inline std::vector<std::uint8_t> assemble(std::string header, const std::vector<std::uint8_t>& data,
                                          bool pad = true) {
  if (pad)
    while (header.size() % 8 != 0) header += ' ';
  std::vector<std::uint8_t> out;
  const std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// The reference layout: tensors back to back in the given order, optional metadata first.
inline std::vector<std::uint8_t> serialize(const std::vector<RawTensor>& tensors,
                                           const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
  std::string header = "{";
  bool first = true;
  if (!metadata.empty()) {
    header += "\"__metadata__\":{";
    for (std::size_t i = 0; i < metadata.size(); ++i)
      header += (i ? "," : "") + ("\"" + metadata[i].first + "\":\"" + metadata[i].second + "\"");
    header += "}";
    first = false;
  }
  std::vector<std::uint8_t> data;
  for (const auto& t : tensors) {
    const auto begin = data.size();
    data.insert(data.end(), t.bytes.begin(), t.bytes.end());
    header += (first ? "" : ",") + ("\"" + t.name + "\":{\"dtype\":\"" + t.dtype + "\",\"shape\":" +
                                    shapeJson(t.shape) + ",\"data_offsets\":[" + std::to_string(begin) + "," +
                                    std::to_string(data.size()) + "]}");
    first = false;
  }
  header += "}";
  return assemble(header, data);
}

inline void writeFile(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A fresh directory under the system's temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "foldbench-pretrained-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace foldbench::pretrained::test_files
