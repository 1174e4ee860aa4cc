#include "foldbench/text/hash.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace foldbench::text {

std::uint64_t hashFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  Fnv1a hash;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
    hash.add(std::string_view(buffer, static_cast<std::size_t>(in.gcount())));
  return hash.value();
}

std::string toHex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

std::string fileFingerprint(const std::string& path) { return toHex(hashFile(path)); }

}  // namespace foldbench::text
