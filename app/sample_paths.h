#pragma once
#include <cstdlib>
#include <filesystem>
#include <string>

namespace foldbench::app {

// The bundled sample data: $FOLDBENCH_SAMPLE_DIR when set, else installed under
// share/foldbench/sample next to the program, else the source tree the program was built from.
inline std::string sampleDataDir() {
  namespace fs = std::filesystem;
  if (const char* dir = std::getenv("FOLDBENCH_SAMPLE_DIR"); dir && fs::exists(fs::path(dir) / "train.tsv"))
    return fs::canonical(dir).string();
  std::error_code ec;
  const auto exeDir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (const fs::path& dir : {exeDir / "../share/foldbench/sample", fs::path(FOLDBENCH_SOURCE_DIR "/resources/sample")})
    if (fs::exists(dir / "train.tsv")) return fs::canonical(dir).string();
  return {};
}

}  // namespace foldbench::app
