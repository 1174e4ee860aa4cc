#include "prediction_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "foldbench/platform/atomic_file.h"
#include "foldbench/text/hash.h"

namespace foldbench::ensemble {

namespace {
constexpr char kMagic[4] = {'F', 'B', 'P', 'C'};
constexpr std::uint32_t kVersion = 2;  // 2: checkpoint digests in the key
constexpr std::size_t kDigestLength = 16;

template <typename T>
void put(std::ostream& out, T value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
bool get(std::istream& in, T& value) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&value), sizeof value));
}
}  // namespace

std::string checkpointDigest(const std::string& checkpointPath) {
  return text::fileFingerprint(checkpointPath);
}

std::string cachePath(const std::string& runDir, const std::string& testSha256) {
  return runDir + "/predictions/" + testSha256 + ".bin";
}

std::optional<CachedFolds> readCache(const std::string& path, const std::string& testSha256, const std::vector<int>& folds,
                                     const std::vector<std::string>& checkpointDigests, std::size_t rows,
                                     std::size_t classes) {
  if (!checkpointDigests.empty() && checkpointDigests.size() != folds.size())
    throw std::invalid_argument("one checkpoint digest per fold is needed");
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  char magic[4];
  std::uint32_t version = 0, foldCount = 0, rowCount = 0, classCount = 0;
  if (!in.read(magic, 4) || std::memcmp(magic, kMagic, 4) != 0 || !get(in, version) || version != kVersion ||
      !get(in, foldCount) || !get(in, rowCount) || !get(in, classCount))
    return std::nullopt;
  if (foldCount != folds.size() || rowCount != rows || classCount != classes) return std::nullopt;
  std::string sha(64, '\0');
  if (!in.read(sha.data(), 64) || sha != testSha256) return std::nullopt;
  CachedFolds cached;
  for (std::uint32_t f = 0; f < foldCount; ++f) {
    std::int32_t fold = 0;
    if (!get(in, fold) || fold != folds[f]) return std::nullopt;
    cached.folds.push_back(fold);
  }
  for (std::uint32_t f = 0; f < foldCount; ++f) {
    std::string digest(kDigestLength, '\0');
    if (!in.read(digest.data(), kDigestLength)) return std::nullopt;
    if (!checkpointDigests.empty() && digest != checkpointDigests[f]) return std::nullopt;  // retrained since
    cached.checkpointDigests.push_back(digest);
  }
  std::vector<float> buffer(rows * classes);
  for (std::uint32_t f = 0; f < foldCount; ++f) {
    if (!in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size() * sizeof(float))))
      return std::nullopt;
    Probabilities p(rows);
    for (std::size_t r = 0; r < rows; ++r) p[r].assign(buffer.begin() + r * classes, buffer.begin() + (r + 1) * classes);
    cached.probabilities.push_back(std::move(p));
  }
  return cached;
}

void writeCache(const std::string& path, const std::string& testSha256, const CachedFolds& cached) {
  if (cached.checkpointDigests.size() != cached.folds.size())
    throw std::invalid_argument("the prediction cache needs one checkpoint digest per fold");
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(path).parent_path());
  // Built in memory and written through platform::AtomicFile: its own temporary file (the CLI
  // and the window may export the same run at once, each renaming only its own bytes), checked
  // writes, and a clear error on a full disk.
  std::ostringstream out(std::ios::binary);
  const std::size_t rows = cached.probabilities.empty() ? 0 : cached.probabilities[0].size();
  const std::size_t classes = rows ? cached.probabilities[0][0].size() : 0;
  out.write(kMagic, 4);
  put(out, kVersion);
  put(out, static_cast<std::uint32_t>(cached.folds.size()));
  put(out, static_cast<std::uint32_t>(rows));
  put(out, static_cast<std::uint32_t>(classes));
  out.write(testSha256.data(), 64);
  for (int fold : cached.folds) put(out, static_cast<std::int32_t>(fold));
  for (const auto& digest : cached.checkpointDigests) {
    if (digest.size() != kDigestLength) throw std::invalid_argument("a checkpoint digest is 16 hex characters");
    out.write(digest.data(), kDigestLength);
  }
  for (const auto& p : cached.probabilities)
    for (const auto& row : p) out.write(reinterpret_cast<const char*>(row.data()), static_cast<std::streamsize>(row.size() * sizeof(float)));
  platform::writeFileAtomically(path, out.str());
}

}  // namespace foldbench::ensemble
