#pragma once
// FNV-1a, used for cache keys and data fingerprints (not for security).
#include <cstdint>
#include <string>
#include <string_view>

namespace foldbench::text {

class Fnv1a {
 public:
  Fnv1a& add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      state_ ^= c;
      state_ *= 0x100000001b3ULL;
    }
    return *this;
  }
  Fnv1a& add(std::int64_t value) { return add(std::string_view(reinterpret_cast<const char*>(&value), sizeof value)); }
  std::uint64_t value() const { return state_; }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

std::uint64_t hashFile(const std::string& path);
std::string toHex(std::uint64_t value);
// toHex(hashFile(path)): the fingerprint of a file's content.
std::string fileFingerprint(const std::string& path);

}  // namespace foldbench::text
