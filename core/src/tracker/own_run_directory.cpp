#include "own_run_directory.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "foldbench/tracker/run_store.h"

namespace foldbench::tracker {

void checkOwnRunDirectory(const RunInfo& info, const std::string& action) {
  namespace fs = std::filesystem;
  const fs::path dir = info.runDir;
  const std::string refuse = "refusing to " + action + " run " + info.uid + ": ";
  if (dir.empty()) throw StoreError(refuse + "it records no run directory", StoreError::Kind::Refused);
  if (dir.filename() != info.uid)
    throw StoreError(refuse + dir.string() + " is not named after the run, so it is not its own directory",
                     StoreError::Kind::Refused);
  // A cluster run that never merged (jobs cancelled) has no summary yet; its job script, named
  // after the run, proves the folder is its own.
  if (!fs::exists(dir / "summary.json")) {
    std::ifstream script(dir / "slurm" / "folds.sbatch");
    const std::string text((std::istreambuf_iterator<char>(script)), {});
    if (text.find("#SBATCH --job-name=foldbench-" + info.uid + "\n") != std::string::npos) return;
  }
  std::string owner;
  try {
    owner = nlohmann::json::parse(std::ifstream(dir / "summary.json")).at("run_id").get<std::string>();
  } catch (const std::exception&) {
    throw StoreError(refuse + (dir / "summary.json").string() + " is missing or unreadable", StoreError::Kind::Refused);
  }
  if (owner != info.uid) throw StoreError(refuse + dir.string() + " holds the summary of run " + owner, StoreError::Kind::Refused);
}

}  // namespace foldbench::tracker
