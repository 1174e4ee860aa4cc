#include "own_run_directory.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "foldbench/config/experiment_config.h"
#include "foldbench/tracker/run_store.h"

namespace foldbench::tracker {

namespace {

bool holdsRecordedConfig(const std::filesystem::path& dir, const RunInfo& info) {
  if (info.configJson.empty()) return false;
  try {
    return config::toJson(config::loadConfig((dir / "config.json").string())) ==
           config::toJson(config::fromJson(info.configJson, "the recorded config"));
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

void checkOwnRunDirectory(const RunInfo& info, const std::string& action) {
  namespace fs = std::filesystem;
  const fs::path dir = info.runDir;
  const std::string refuse = "refusing to " + action + " run " + info.uid + ": ";
  if (dir.empty()) throw StoreError(refuse + "it records no run directory", StoreError::Kind::Refused);
  if (dir.filename() != info.uid)
    throw StoreError(refuse + dir.string() + " is not named after the run, so it is not its own directory",
                     StoreError::Kind::Refused);
  // A run that never wrote its summary (crashed, stopped or failed early, a cluster run whose
  // jobs are gone before its merge) is recognised by the config.json every run writes first: the
  // experiment config the tracker recorded for this run.
  std::error_code error;
  if (!fs::exists(dir, error) && !error) return;  // nothing left to delete
  if (!fs::exists(dir / "summary.json")) {
    if (holdsRecordedConfig(dir, info)) return;
    throw StoreError(refuse + dir.string() + " holds neither its summary.json nor the config.json recorded for it, " +
                         "so it is not known to be its folder",
                     StoreError::Kind::Refused);
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
