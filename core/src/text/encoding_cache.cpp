#include "foldbench/text/encoding_cache.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "foldbench/text/hash.h"

namespace foldbench::text {

namespace fs = std::filesystem;

namespace {
constexpr char kMagic[8] = {'F', 'B', 'E', 'N', 'C', 'v', '1', '\0'};

template <typename T>
void put(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}
template <typename T>
bool get(std::ifstream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof v));
}
}  // namespace

std::uint64_t rowsFingerprint(const std::vector<data::Example>& rows) {
  Fnv1a h;
  for (const auto& r : rows) {
    h.add(r.id).add(r.sentence).add(r.subject.text).add(r.subject.type).add(r.object.text).add(r.object.type);
    h.add(std::int64_t{r.subject.start}).add(std::int64_t{r.subject.end});
    h.add(std::int64_t{r.object.start}).add(std::int64_t{r.object.end});
  }
  return h.add(static_cast<std::int64_t>(rows.size())).value();
}

std::uint64_t encodingCacheKey(std::uint64_t rows, std::uint64_t tokenizer, const EncodeOptions& options) {
  return Fnv1a()
      .add(static_cast<std::int64_t>(rows))
      .add(static_cast<std::int64_t>(tokenizer))
      .add(formatName(options.format))
      .add(std::int64_t{options.maxLen})
      .add(std::string_view(kMagic, sizeof kMagic))
      .value();
}

EncodingCache::EncodingCache(std::string directory) : directory_(std::move(directory)) {}

std::string EncodingCache::pathFor(std::uint64_t key) const { return directory_ + "/enc-" + toHex(key) + ".bin"; }

std::optional<std::vector<EncodedExample>> EncodingCache::load(std::uint64_t key) const {
  std::ifstream in(pathFor(key), std::ios::binary);
  if (!in) return std::nullopt;
  char magic[sizeof kMagic];
  std::uint64_t storedKey = 0, count = 0;
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof kMagic) != 0) return std::nullopt;
  if (!get(in, storedKey) || storedKey != key || !get(in, count)) return std::nullopt;
  std::vector<EncodedExample> out(count);
  for (auto& e : out) {
    std::uint32_t n = 0;
    std::uint8_t truncated = 0;
    if (!get(in, n) || n > 1u << 20) return std::nullopt;
    e.ids.resize(n);
    e.segments.resize(n);
    in.read(reinterpret_cast<char*>(e.ids.data()), static_cast<std::streamsize>(n * sizeof(std::int32_t)));
    in.read(reinterpret_cast<char*>(e.segments.data()), static_cast<std::streamsize>(n));
    if (!get(in, e.subjectPos) || !get(in, e.objectPos) || !get(in, truncated)) return std::nullopt;
    e.truncated = truncated != 0;
  }
  return out;
}

void EncodingCache::store(std::uint64_t key, const std::vector<EncodedExample>& encoded) const {
  fs::create_directories(directory_);
  const std::string path = pathFor(key);
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(kMagic, sizeof kMagic);
    put(out, key);
    put(out, static_cast<std::uint64_t>(encoded.size()));
    for (const auto& e : encoded) {
      put(out, static_cast<std::uint32_t>(e.ids.size()));
      out.write(reinterpret_cast<const char*>(e.ids.data()),
                static_cast<std::streamsize>(e.ids.size() * sizeof(std::int32_t)));
      out.write(reinterpret_cast<const char*>(e.segments.data()), static_cast<std::streamsize>(e.segments.size()));
      put(out, e.subjectPos);
      put(out, e.objectPos);
      put(out, static_cast<std::uint8_t>(e.truncated));
    }
    if (!out.flush()) {
      out.close();
      fs::remove(tmp);
      throw std::runtime_error("cannot write encoding cache " + tmp);
    }
  }
  fs::rename(tmp, path);
}

std::vector<EncodedExample> encodeAll(const std::vector<data::Example>& rows, const InputEncoder& encoder,
                                      const EncodingCache* cache, EncodeStats* stats) {
  EncodeStats local;
  EncodeStats& s = stats ? *stats : local;
  std::uint64_t key = 0;
  if (cache) {
    key = encodingCacheKey(rowsFingerprint(rows), encoder.tokenizerFingerprint(), encoder.options());
    if (auto hit = cache->load(key); hit && hit->size() == rows.size()) {
      s.cacheHit = true;
      for (const auto& e : *hit) s.truncated += e.truncated;
      return std::move(*hit);
    }
  }
  std::vector<EncodedExample> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(encoder.encode(r));
    s.truncated += out.back().truncated;
  }
  if (cache) cache->store(key, out);
  return out;
}

}  // namespace foldbench::text
