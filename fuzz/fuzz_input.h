#pragma once
// The fuzzers' shared plumbing: the readers take paths, so each input is written to a file of
// this process first. Any std::exception is a clean refusal; sanitizers catch the rest.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace foldbench::fuzz {

inline std::string writeInput(const std::uint8_t* data, std::size_t size, const char* extension) {
  const std::string path = "/tmp/foldbench-fuzz-" + std::to_string(getpid()) + extension;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                               static_cast<std::streamsize>(size));
  return path;
}

}  // namespace foldbench::fuzz
