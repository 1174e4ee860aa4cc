#include "foldbench/platform/workspace.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace foldbench::platform {

namespace fs = std::filesystem;

Workspace findWorkspace(const std::string& workingDir, const std::string& xdgDataHome, const std::string& home) {
  std::error_code ec;
  if (!workingDir.empty() && fs::is_regular_file(fs::path(workingDir) / kDatabaseFileName, ec))
    return {fs::absolute(workingDir).lexically_normal().string(), true};
  // The XDG spec ignores a relative XDG_DATA_HOME.
  fs::path base = !xdgDataHome.empty() && fs::path(xdgDataHome).is_absolute() ? fs::path(xdgDataHome)
                  : !home.empty()                                              ? fs::path(home) / ".local/share"
                                                                              : fs::temp_directory_path();
  return {(base / "foldbench").lexically_normal().string(), false};
}

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
}  // namespace

Workspace currentWorkspace() {
  std::error_code ec;
  return findWorkspace(fs::current_path(ec).string(), env("XDG_DATA_HOME"), env("HOME"));
}

std::string defaultDatabasePath() {
  const auto workspace = currentWorkspace();
  std::error_code ec;
  if (!workspace.project) fs::create_directories(workspace.dir, ec);  // an error surfaces on opening
  return (fs::path(workspace.dir) / kDatabaseFileName).string();
}

std::string runFolderFor(const std::string& outputDir, const std::string& databasePath) {
  const fs::path out(outputDir);
  if (out.is_absolute()) return outputDir;
  std::error_code ec;
  const fs::path database = fs::absolute(databasePath, ec);
  return (database.parent_path() / out).lexically_normal().string();
}

}  // namespace foldbench::platform
