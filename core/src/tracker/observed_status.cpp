#include "foldbench/tracker/observed_status.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>

#include "foldbench/tracker/run_store.h"

namespace foldbench::tracker {

namespace fs = std::filesystem;

namespace {
double secondsSinceEpoch(fs::file_time_type t) {
  // file_time_type's clock is the system clock on Linux (libstdc++), offset to 2174: convert.
  const auto system = std::chrono::system_clock::now() + (t - fs::file_time_type::clock::now());
  return std::chrono::duration<double>(system.time_since_epoch()).count();
}
}  // namespace

int clusterTasksStarted(const RunInfo& info) {
  if (!isClusterRun(info) || info.runDir.empty()) return 0;
  // markQueued stamps the heartbeat: fold databases older than that belong to an earlier attempt.
  const double queuedAt = std::max(info.createdAt, info.heartbeatAt);
  static const std::regex foldDatabase(R"(fold-\d+\.db)");
  int started = 0;
  std::error_code ec;
  for (fs::directory_iterator it(info.runDir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!std::regex_match(it->path().filename().string(), foldDatabase)) continue;
    std::error_code timeError;
    const auto written = fs::last_write_time(it->path(), timeError);
    // A second of slack for clocks of other hosts writing over a shared file system.
    if (!timeError && secondsSinceEpoch(written) >= queuedAt - 1.0) ++started;
  }
  return started;
}

RunStatus observedStatus(const RunInfo& info, double now) {
  if (runLooksDead(info, kStaleHeartbeatSeconds, now)) return RunStatus::Crashed;
  if (info.status == RunStatus::Queued && clusterTasksStarted(info) > 0) return RunStatus::Running;
  return info.status;
}

}  // namespace foldbench::tracker
