#pragma once
// A reader for Hugging Face's safetensors files, written from the published format:
//   8 bytes   N, a little-endian u64: the size of the header;
//   N bytes   a UTF-8 JSON object {name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}
//             with an optional "__metadata__" object of string -> string, padded with spaces;
//   the rest  the data section, which the offsets index from its first byte.
// Files come from strangers, so every number in the header is checked before it is used (see
// safetensors.cpp for the list). Plain C++: no LibTorch, no Qt, so the reader can be fuzzed alone.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace foldbench::pretrained {

// Every refusal of a model folder, its weights or its config: the message names the file and the
// tensor or field.
class PretrainedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The dtypes the format defines with whole-byte elements. Only F32, F16 and BF16 can be handed
// out as floats; the others are listed (a checkpoint may hold an I64 buffer) but not converted.
enum class Dtype { BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64 };

const char* dtypeName(Dtype dtype);
std::size_t dtypeSize(Dtype dtype);
// Throws PretrainedError for a name the format does not define (or one of its sub-byte types).
Dtype dtypeFromName(const std::string& name, const std::string& where);

// Exact conversions of IEEE binary16 and bfloat16 bit patterns to float (subnormals, infinities
// and NaN payloads kept).
float halfToFloat(std::uint16_t bits);
float bfloat16ToFloat(std::uint16_t bits);

struct TensorEntry {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<std::uint64_t> shape;
  std::uint64_t begin = 0;  // data_offsets, relative to the start of the data section
  std::uint64_t end = 0;
  std::uint64_t elementCount() const;  // checked not to overflow when the header was read
  std::uint64_t byteCount() const { return end - begin; }
};

class SafetensorsFile {
 public:
  // Memory-maps the file read-only (unmapped when the object goes) and checks its header. The
  // data pages are read only when a tensor is converted, so opening costs O(header).
  static SafetensorsFile open(const std::string& path);
  // The same checks over bytes held in memory (tests, the fuzzer); label names it in errors.
  static SafetensorsFile fromBytes(std::vector<std::uint8_t> bytes, const std::string& label);

  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
  ~SafetensorsFile();

  const std::string& path() const { return path_; }
  // Every tensor, sorted by name.
  const std::vector<TensorEntry>& entries() const { return entries_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  bool contains(const std::string& name) const;
  const TensorEntry& entry(const std::string& name) const;  // throws, naming the file
  // The tensor's raw little-endian bytes inside the mapping (valid while this object lives).
  const std::uint8_t* data(const std::string& name) const;
  // Asks the kernel to read the mapped file ahead (before converting every tensor); no-op in memory.
  void willRead() const;
  // The tensor as float32, row-major; F32, F16 and BF16 only (others refused by name).
  std::vector<float> toFloat(const std::string& name) const;
  // The same into a caller's buffer of exactly elementCount() floats (e.g. a torch tensor's).
  void toFloat(const std::string& name, float* out, std::size_t count) const;

 private:
  struct Storage;
  SafetensorsFile(std::unique_ptr<Storage> storage, std::string path);
  void parse();

  std::unique_ptr<Storage> storage_;
  std::string path_;
  std::vector<TensorEntry> entries_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, std::string> metadata_;
  std::uint64_t dataStart_ = 0;
};

// The largest header accepted: the reference implementation's limit (100 MB).
constexpr std::uint64_t kMaxSafetensorsHeader = 100'000'000;

}  // namespace foldbench::pretrained
