#include "foldbench/tracker/run_pruning.h"

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include "foldbench/util/numbers.h"
#include "foldbench/util/pruned_run.h"
#include "own_run_directory.h"

namespace foldbench::tracker {

namespace fs = std::filesystem;

std::vector<std::int64_t> selectRuns(const RunStore& store, const PruneSelection& selection) {
  std::set<std::int64_t> named;
  for (const auto& run : selection.runs) named.insert(store.resolve(run));
  ListQuery query;
  query.filter = selection.filter;
  query.sort = selection.by;
  std::vector<std::int64_t> out;
  int kept = 0;
  for (const auto& row : store.listRuns(query)) {
    if (!named.empty() && !named.count(row.id)) continue;
    if (kept < selection.keepBest) {
      ++kept;
      continue;
    }
    out.push_back(row.id);
  }
  return out;
}

namespace {

bool isInside(const fs::path& file, const fs::path& dir) {
  std::error_code ec;
  const auto f = fs::weakly_canonical(file, ec), d = fs::weakly_canonical(dir, ec);
  const auto rel = f.lexically_relative(d);
  return !rel.empty() && *rel.begin() != ".." && rel != ".";
}

std::string utcTime(double seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
  return text;
}

}  // namespace

std::vector<PrunePlan> planPrune(const RunStore& store, const std::vector<std::int64_t>& runs) {
  std::vector<PrunePlan> plans;
  for (auto id : runs) {
    const auto detail = store.showRun(id);
    PrunePlan plan;
    plan.run = id;
    plan.uid = detail.info.uid;
    plan.runDir = detail.info.runDir;
    if (detail.info.status == RunStatus::Queued ||
        (detail.info.status == RunStatus::Running && !runLooksDead(detail.info, kStaleHeartbeatSeconds, nowSeconds()))) {
      plan.refused = detail.info.status == RunStatus::Queued ? "queued on the cluster" : "still running";
      plans.push_back(plan);
      continue;
    }
    try {
      checkOwnRunDirectory(detail.info, "prune");
    } catch (const StoreError& e) {
      plan.refused = e.what();
      plans.push_back(plan);
      continue;
    }
    std::set<std::string> candidates;
    for (const auto& fold : detail.folds)
      if (!fold.checkpoint.empty()) candidates.insert((fs::path(detail.info.runDir) / fold.checkpoint).string());
    for (const auto& artifact : detail.artifacts)
      if (artifact.kind == "checkpoint") candidates.insert(artifact.path);
    for (const auto& file : candidates) {
      std::error_code ec;
      if (!fs::is_regular_file(file, ec) || !isInside(file, detail.info.runDir)) continue;
      const auto size = fs::file_size(file, ec);
      if (ec) continue;
      plan.files.push_back(file);
      plan.bytes += size;
    }
    plans.push_back(plan);
  }
  return plans;
}

std::uintmax_t prune(RunStore& store, const std::vector<PrunePlan>& plans) {
  std::uintmax_t freed = 0;
  for (const auto& plan : plans) {
    if (!plan.refused.empty() || plan.files.empty()) continue;
    const double now = nowSeconds();
    // The note goes first: a crash while deleting leaves a run that says it is pruned (and a
    // second prune finishes it), never one that claims checkpoints it no longer has.
    const auto notePath = fs::path(plan.runDir) / util::kPrunedNoteFile;
    {
      std::ofstream out(notePath.string() + ".tmp");
      out << "checkpoints deleted by `foldbench-cli runs prune` on " << utcTime(now) << ", "
          << formatBytes(static_cast<double>(plan.bytes)) << "\n";
      if (!out.flush()) throw StoreError("cannot write " + notePath.string(), StoreError::Kind::Io);
    }
    fs::rename(notePath.string() + ".tmp", notePath);
    std::uintmax_t bytes = 0;
    for (const auto& file : plan.files) {
      std::error_code ec;
      const auto size = fs::file_size(file, ec);
      if (!ec && fs::remove(file, ec)) bytes += size;
    }
    store.setFields(plan.run, {{"sys/pruned_at", now, ""},
                               {"sys/pruned_bytes", static_cast<double>(bytes), ""},
                               {"sys/disk_bytes", static_cast<double>(directoryBytes(plan.runDir)), ""}});
    freed += bytes;
  }
  return freed;
}

std::uintmax_t directoryBytes(const std::string& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return 0;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code sizeError;
    if (it->is_regular_file(sizeError)) {
      const auto size = it->file_size(sizeError);
      if (!sizeError) total += size;
    }
  }
  return total;
}

std::string formatBytes(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000.0 && unit < 4) {
    bytes /= 1000.0;
    ++unit;
  }
  return util::formatFixed(bytes, unit == 0 || bytes >= 100 ? 0 : 1) + " " + units[unit];
}

}  // namespace foldbench::tracker
