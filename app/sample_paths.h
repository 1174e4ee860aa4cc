#pragma once
#include <filesystem>
#include <string>

namespace foldbench::app {

// The bundled sample data: installed under share/foldbench/sample, or in the source tree.
inline std::string sampleDataDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto exeDir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (const fs::path& dir : {exeDir / "../share/foldbench/sample", fs::path(FOLDBENCH_SOURCE_DIR "/resources/sample")})
    if (fs::exists(dir / "train.tsv")) return fs::canonical(dir).string();
  return {};
}

}  // namespace foldbench::app
