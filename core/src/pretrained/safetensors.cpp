// The safetensors reader. What is checked, in order, each refusal naming the file:
//   - the file holds at least the 8-byte length;
//   - the header length N is at most 100 MB (the reference implementation's limit) and at most
//     the file size - 8;
//   - the header is UTF-8 JSON (nlohmann's lexer refuses ill-formed UTF-8), an object, with no
//     key given twice at any level (the format disallows duplicates; nlohmann alone would keep
//     the last);
//   - "__metadata__", where present, is an object of string -> string;
//   - every other entry is an object with exactly the keys dtype, shape and data_offsets;
//     dtype is a name the format defines; shape a list of non-negative integers whose product
//     and byte count fit in 64 bits; data_offsets a pair [begin, end] of non-negative integers
//     with begin <= end <= size of the data section, and end - begin == elements * dtype size;
//   - the tensors' byte ranges, sorted by (begin, end), do not overlap, leave no gap between
//     them, start at 0 and end at the end of the file.
// The last rule is the reference reader's (huggingface/safetensors, Metadata::validate: each
// tensor must start where the one before it ended, and the last must end at the end of the
// buffer, else InvalidOffset / MetadataIncompleteBuffer). The README's "Format" section does not
// spell it out, but every file the reference writer produces satisfies it and every reader built
// on the reference refuses a file that does not, so a file with a gap or trailing bytes is
// refused here too: such a file was not written by a conforming writer (or was truncated or
// tampered with), and hidden bytes are exactly what a reader of strangers' files should not pass.
#include "foldbench/pretrained/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

namespace foldbench::pretrained {

namespace {

struct DtypeInfo {
  Dtype dtype;
  const char* name;
  std::size_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {Dtype::BOOL, "BOOL", 1},       {Dtype::U8, "U8", 1},   {Dtype::I8, "I8", 1},
    {Dtype::F8_E5M2, "F8_E5M2", 1}, {Dtype::F8_E4M3, "F8_E4M3", 1},
    {Dtype::I16, "I16", 2},         {Dtype::U16, "U16", 2}, {Dtype::F16, "F16", 2},
    {Dtype::BF16, "BF16", 2},       {Dtype::I32, "I32", 4}, {Dtype::U32, "U32", 4},
    {Dtype::F32, "F32", 4},         {Dtype::F64, "F64", 8}, {Dtype::I64, "I64", 8},
    {Dtype::U64, "U64", 8},
};

const DtypeInfo& infoOf(Dtype dtype) {
  for (const auto& info : kDtypes)
    if (info.dtype == dtype) return info;
  return kDtypes[0];  // unreachable: every enumerator is listed
}

std::uint64_t readLe64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

// A non-negative JSON integer as u64; anything else (negative, fractional, a string) is refused.
bool asU64(const nlohmann::json& value, std::uint64_t& out) {
  if (value.is_number_unsigned()) {
    out = value.get<std::uint64_t>();
    return true;
  }
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v < 0) return false;
    out = static_cast<std::uint64_t>(v);
    return true;
  }
  return false;
}

}  // namespace

const char* dtypeName(Dtype dtype) { return infoOf(dtype).name; }
std::size_t dtypeSize(Dtype dtype) { return infoOf(dtype).size; }

Dtype dtypeFromName(const std::string& name, const std::string& where) {
  for (const auto& info : kDtypes)
    if (name == info.name) return info.dtype;
  throw PretrainedError(where + ": unknown dtype " + inQuotes(name) +
                        " (known: BOOL U8 I8 F8_E5M2 F8_E4M3 I16 U16 F16 BF16 I32 U32 F32 F64 I64 U64)");
}

float halfToFloat(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1fu;
  const std::uint32_t mantissa = bits & 0x3ffu;
  std::uint32_t out;
  if (exponent == 0) {
    if (mantissa == 0) {
      out = sign;  // signed zero
    } else {
      // Subnormal: mantissa * 2^-24, exactly representable as a normal float.
      const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
      std::memcpy(&out, &magnitude, sizeof out);
      out |= sign;
    }
  } else if (exponent == 0x1f) {
    out = sign | 0x7f800000u | (mantissa << 13);  // infinity, or NaN with its payload
  } else {
    out = sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13);
  }
  float result;
  std::memcpy(&result, &out, sizeof result);
  return result;
}

float bfloat16ToFloat(std::uint16_t bits) {
  const std::uint32_t out = static_cast<std::uint32_t>(bits) << 16;
  float result;
  std::memcpy(&result, &out, sizeof result);
  return result;
}

std::uint64_t TensorEntry::elementCount() const {
  std::uint64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

// The bytes: a read-only private mapping of a file, or a buffer held in memory.
struct SafetensorsFile::Storage {
  const std::uint8_t* bytes = nullptr;
  std::size_t size = 0;
  void* mapping = nullptr;
  std::size_t mappingSize = 0;
  std::vector<std::uint8_t> owned;

  ~Storage() {
    if (mapping) munmap(mapping, mappingSize);
  }
};

SafetensorsFile::SafetensorsFile(std::unique_ptr<Storage> storage, std::string path)
    : storage_(std::move(storage)), path_(std::move(path)) {}
SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw PretrainedError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw PretrainedError(path + ": cannot stat: " + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw PretrainedError(path + ": not a regular file");
  }
  auto storage = std::make_unique<Storage>();
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < 8) {
    ::close(fd);
    throw PretrainedError(path + ": truncated: " + std::to_string(size) +
                          " bytes, fewer than the 8-byte header length");
  }
  void* mapping = mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  const int e = errno;
  ::close(fd);  // the mapping keeps the file's pages reachable
  if (mapping == MAP_FAILED) throw PretrainedError(path + ": cannot memory-map: " + std::strerror(e));
  storage->mapping = mapping;
  storage->mappingSize = static_cast<std::size_t>(size);
  storage->bytes = static_cast<const std::uint8_t*>(mapping);
  storage->size = static_cast<std::size_t>(size);
  SafetensorsFile file(std::move(storage), path);
  file.parse();
  return file;
}

SafetensorsFile SafetensorsFile::fromBytes(std::vector<std::uint8_t> bytes, const std::string& label) {
  auto storage = std::make_unique<Storage>();
  storage->owned = std::move(bytes);
  storage->bytes = storage->owned.data();
  storage->size = storage->owned.size();
  SafetensorsFile file(std::move(storage), label);
  file.parse();
  return file;
}

void SafetensorsFile::parse() {
  const std::uint8_t* bytes = storage_->bytes;
  const std::uint64_t size = storage_->size;
  const std::string& file = path_;
  if (size < 8)
    throw PretrainedError(file + ": truncated: " + std::to_string(size) +
                          " bytes, fewer than the 8-byte header length");
  const std::uint64_t headerSize = readLe64(bytes);
  if (headerSize > kMaxSafetensorsHeader)
    throw PretrainedError(file + ": header length " + std::to_string(headerSize) +
                          " is over the limit of " + std::to_string(kMaxSafetensorsHeader) + " bytes");
  if (headerSize > size - 8)
    throw PretrainedError(file + ": header length " + std::to_string(headerSize) +
                          " runs past the end of the file (" + std::to_string(size) +
                          " bytes): the file is truncated or not safetensors");
  if (headerSize < 2) throw PretrainedError(file + ": header of " + std::to_string(headerSize) +
                                            " bytes cannot hold a JSON object");
  const char* headerText = reinterpret_cast<const char*>(bytes + 8);

  // Duplicate keys: a stack of the keys seen in each open object.
  std::vector<std::set<std::string>> openObjects;
  std::string duplicate;
  auto watchKeys = [&](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    switch (event) {
      case nlohmann::json::parse_event_t::object_start:
        openObjects.emplace_back();
        break;
      case nlohmann::json::parse_event_t::object_end:
        if (!openObjects.empty()) openObjects.pop_back();
        break;
      case nlohmann::json::parse_event_t::key:
        if (!openObjects.empty() && !openObjects.back().insert(parsed.get<std::string>()).second &&
            duplicate.empty())
          duplicate = parsed.get<std::string>();
        break;
      default:
        break;
    }
    return true;
  };
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(headerText, headerText + headerSize, watchKeys);
  } catch (const nlohmann::json::exception& e) {
    throw PretrainedError(file + ": header is not valid JSON: " + e.what());
  }
  if (!duplicate.empty())
    throw PretrainedError(file + ": header gives the key " + inQuotes(duplicate) + " twice");
  if (!header.is_object()) throw PretrainedError(file + ": header is not a JSON object");

  const std::uint64_t dataSize = size - 8 - headerSize;
  dataStart_ = 8 + headerSize;
  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& name = it.key();
    const auto& value = it.value();
    if (name == "__metadata__") {
      if (!value.is_object())
        throw PretrainedError(file + ": __metadata__ is not an object of strings");
      for (auto m = value.begin(); m != value.end(); ++m) {
        if (!m.value().is_string())
          throw PretrainedError(file + ": __metadata__ field " + inQuotes(m.key()) + " is not a string");
        metadata_[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    const std::string where = file + ": tensor " + inQuotes(name);
    if (!value.is_object()) throw PretrainedError(where + ": entry is not a JSON object");
    for (auto k = value.begin(); k != value.end(); ++k)
      if (k.key() != "dtype" && k.key() != "shape" && k.key() != "data_offsets")
        throw PretrainedError(where + ": unknown field " + inQuotes(k.key()) +
                              " (expected dtype, shape, data_offsets)");
    for (const char* key : {"dtype", "shape", "data_offsets"})
      if (!value.contains(key)) throw PretrainedError(where + ": missing field '" + key + "'");

    TensorEntry entry;
    entry.name = name;
    if (!value["dtype"].is_string()) throw PretrainedError(where + ": dtype is not a string");
    entry.dtype = dtypeFromName(value["dtype"].get<std::string>(), where);

    const auto& shape = value["shape"];
    if (!shape.is_array()) throw PretrainedError(where + ": shape is not a list");
    std::uint64_t elements = 1;
    for (const auto& d : shape) {
      std::uint64_t dim = 0;
      if (!asU64(d, dim))
        throw PretrainedError(where + ": shape " + shape.dump() + " holds something other than a non-negative integer");
      if (dim != 0 && elements > std::numeric_limits<std::uint64_t>::max() / dim)
        throw PretrainedError(where + ": shape " + shape.dump() + " has more elements than 64 bits can count");
      elements *= dim;
      entry.shape.push_back(dim);
    }
    const std::uint64_t elementSize = dtypeSize(entry.dtype);
    if (elements > std::numeric_limits<std::uint64_t>::max() / elementSize)
      throw PretrainedError(where + ": shape " + shape.dump() + " has more bytes than 64 bits can count");
    const std::uint64_t expectedBytes = elements * elementSize;

    const auto& offsets = value["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !asU64(offsets[0], entry.begin) ||
        !asU64(offsets[1], entry.end))
      throw PretrainedError(where + ": data_offsets " + offsets.dump() +
                            " is not a pair [begin, end] of non-negative integers");
    if (entry.begin > entry.end)
      throw PretrainedError(where + ": data_offsets " + offsets.dump() + " begin after their end");
    if (entry.end > dataSize)
      throw PretrainedError(where + ": data_offsets " + offsets.dump() + " run past the data section (" +
                            std::to_string(dataSize) + " bytes): the file is truncated or corrupt");
    if (entry.end - entry.begin != expectedBytes)
      throw PretrainedError(where + ": data_offsets " + offsets.dump() + " span " +
                            std::to_string(entry.end - entry.begin) + " bytes, but shape " + shape.dump() +
                            " of " + dtypeName(entry.dtype) + " needs " + std::to_string(expectedBytes));
    index_[name] = entries_.size();
    entries_.push_back(std::move(entry));
  }

  // Overlaps, gaps and trailing bytes (see the top of this file).
  std::vector<const TensorEntry*> byOffset;
  for (const auto& e : entries_) byOffset.push_back(&e);
  std::sort(byOffset.begin(), byOffset.end(), [](const TensorEntry* a, const TensorEntry* b) {
    return std::tie(a->begin, a->end, a->name) < std::tie(b->begin, b->end, b->name);
  });
  std::uint64_t covered = 0;
  const TensorEntry* previous = nullptr;
  for (const TensorEntry* e : byOffset) {
    if (e->begin < covered)
      throw PretrainedError(file + ": tensor " + inQuotes(e->name) + " [" + std::to_string(e->begin) + ", " +
                            std::to_string(e->end) + ") overlaps tensor " + inQuotes(previous->name) + " [" +
                            std::to_string(previous->begin) + ", " + std::to_string(previous->end) + ")");
    if (e->begin > covered)
      throw PretrainedError(file + ": " + std::to_string(e->begin - covered) +
                            " bytes of the data section before tensor " + inQuotes(e->name) +
                            " belong to no tensor (a gap at offset " + std::to_string(covered) + ")");
    covered = e->end;
    previous = e;
  }
  if (covered != dataSize)
    throw PretrainedError(file + ": the data section holds " + std::to_string(dataSize - covered) +
                          " bytes after the last tensor that belong to no tensor");
}

bool SafetensorsFile::contains(const std::string& name) const { return index_.count(name) != 0; }

const TensorEntry& SafetensorsFile::entry(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) throw PretrainedError(path_ + ": no tensor " + inQuotes(name));
  return entries_[it->second];
}

const std::uint8_t* SafetensorsFile::data(const std::string& name) const {
  return storage_->bytes + dataStart_ + entry(name).begin;
}

std::vector<float> SafetensorsFile::toFloat(const std::string& name) const {
  const auto& e = entry(name);
  std::vector<float> out(static_cast<std::size_t>(e.elementCount()));
  toFloat(name, out.data(), out.size());
  return out;
}

void SafetensorsFile::willRead() const {
  // Read-ahead of the whole mapping: loading touches every page once, in order.
  if (storage_->mapping) ::madvise(storage_->mapping, storage_->mappingSize, MADV_WILLNEED);
}

void SafetensorsFile::toFloat(const std::string& name, float* out, std::size_t count) const {
  const auto& e = entry(name);
  if (count != e.elementCount())
    throw PretrainedError(path_ + ": tensor " + inQuotes(name) + " has " + std::to_string(e.elementCount()) +
                          " elements, not " + std::to_string(count));
  const std::uint8_t* p = storage_->bytes + dataStart_ + e.begin;
  switch (e.dtype) {
    case Dtype::F32:
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      std::memcpy(out, p, count * 4);  // the file's byte order is the host's
      break;
#endif
      for (std::size_t i = 0; i < count; ++i, p += 4) {
        const std::uint32_t bits = static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                                   static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
        std::memcpy(out + i, &bits, 4);
      }
      break;
    case Dtype::F16:
      for (std::size_t i = 0; i < count; ++i, p += 2)
        out[i] = halfToFloat(static_cast<std::uint16_t>(p[0] | p[1] << 8));
      break;
    case Dtype::BF16:
      for (std::size_t i = 0; i < count; ++i, p += 2)
        out[i] = bfloat16ToFloat(static_cast<std::uint16_t>(p[0] | p[1] << 8));
      break;
    default:
      throw PretrainedError(path_ + ": tensor " + inQuotes(name) + " is " + dtypeName(e.dtype) +
                            "; only F32, F16 and BF16 weights can be read as floats");
  }
}

}  // namespace foldbench::pretrained
