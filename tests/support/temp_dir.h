#pragma once
// A temporary directory removed at the end of the test, with a helper to write files into it.
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace foldbench::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "foldbench-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream out(file(name), std::ios::binary);
    out << content;
    return file(name);
  }

 private:
  std::string path_;
};

// The shared competition data, or empty when ../shared is not there.
inline std::string sharedDataDir() {
  for (const char* candidate : {FOLDBENCH_SOURCE_DIR "/../shared/data/klue-re-pstage"})
    if (std::filesystem::exists(std::string(candidate) + "/train.tsv")) return candidate;
  return {};
}

}  // namespace foldbench::testing
