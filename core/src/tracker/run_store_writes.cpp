// RunStore: every write (runs, metrics, fields, folds, artifacts, tags, notes, deletion).
#include "foldbench/tracker/run_store.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "foldbench/tracker/filter.h"
#include "foldbench/tracker/observed_status.h"
#include "foldbench/util/numbers.h"
#include "schema.h"
#include "series_chunks.h"
#include "own_run_directory.h"
#include "run_store_impl.h"
#include "sqlite_db.h"


namespace foldbench::tracker {

namespace fs = std::filesystem;

std::int64_t RunStore::createRun(const RunInfo& info, const std::vector<std::pair<std::string, std::string>>& params) {
  return impl_->write([&] {
    Transaction tx(impl_->db);
    RunInfo row = info;
    row.heartbeatAt = info.createdAt;
    row.finishedAt = 0.0;
    const auto id = impl_->insertRun(row);
    impl_->insertParams(id, params);
    tx.commit();
    return id;
  });
}

void RunStore::writeMetrics(std::int64_t run, const std::vector<MetricPoint>& points) {
  if (points.empty()) return;
  impl_->write([&] {
    auto& db = impl_->db;
    if (!impl_->upsertSummary) {
      impl_->upsertSummary = std::make_unique<Statement>(
          db.handle(),
          "INSERT INTO series_summary(run_id, series_id, last_step, last, min, max, sum, count) VALUES(?,?,?,?,?,?,?,?) "
          "ON CONFLICT(run_id, series_id) DO UPDATE SET "
          "last = CASE WHEN excluded.last_step >= last_step THEN excluded.last ELSE last END, "
          "last_step = MAX(last_step, excluded.last_step), min = MIN(min, excluded.min), "
          "max = MAX(max, excluded.max), sum = sum + excluded.sum, count = count + excluded.count");
    }
    struct Pending {
      std::vector<PackedPoint> points;
      std::int64_t lastStep = 0;
      double last = 0, min = 0, max = 0, sum = 0;
    };
    std::unordered_map<std::int64_t, Pending> bySeries;
    Transaction tx(db);
    Impl::SeriesCacheGuard forget{*impl_};
    for (const auto& p : points) {
      auto& pending = bySeries[impl_->seriesId(p.name)];
      if (pending.points.empty()) pending.lastStep = p.step, pending.last = pending.min = pending.max = p.value;
      if (p.step >= pending.lastStep) pending.lastStep = p.step, pending.last = p.value;
      pending.min = std::min(pending.min, p.value);
      pending.max = std::max(pending.max, p.value);
      pending.sum += p.value;
      pending.points.push_back({p.step, p.value, p.time, p.epoch, 0});
    }
    auto& upsert = *impl_->upsertSummary;
    for (auto& [series, pending] : bySeries) {
      const auto count = static_cast<std::int64_t>(pending.points.size());
      upsert.bind(1, run).bind(2, series).bind(3, pending.lastStep).bind(4, pending.last).bind(5, pending.min);
      upsert.bind(6, pending.max).bind(7, pending.sum).bind(8, count).run();
      appendChunks(db, run, series, std::move(pending.points));
    }
    tx.commit();
    forget.committed = true;
  });
}

void RunStore::setFields(std::int64_t run, const std::vector<Field>& fields) {
  impl_->write([&] {
    Transaction tx(impl_->db);
    auto s = impl_->db.prepare("INSERT OR REPLACE INTO fields(run_id, key, text, num) VALUES(?,?,?,?)");
    for (const auto& f : fields) {
      s.bind(1, run).bind(2, f.key).bind(3, f.text);
      if (f.number) s.bind(4, *f.number);
      else s.bindNull(4);
      s.run();
    }
    tx.commit();
  });
}

void RunStore::upsertFold(std::int64_t run, const FoldRecord& f) {
  impl_->write([&] {
    auto s = impl_->db.prepare(
        "INSERT OR REPLACE INTO folds(run_id, fold, status, best_epoch, train_acc, val_acc, val_micro_f1, val_loss, "
        "checkpoint) VALUES(?,?,?,?,?,?,?,?,?)");
    s.bind(1, run).bind(2, f.fold).bind(3, f.status).bind(4, f.bestEpoch).bind(5, f.trainAccuracy);
    s.bind(6, f.validationAccuracy).bind(7, f.validationMicroF1).bind(8, f.validationLoss).bind(9, f.checkpoint).run();
  });
}

void RunStore::addArtifact(std::int64_t run, const Artifact& a) {
  impl_->write([&] {
    impl_->db.prepare("INSERT INTO artifacts(run_id, path, kind, size, sha256, created_at) VALUES(?,?,?,?,?,?)")
        .bind(1, run).bind(2, a.path).bind(3, a.kind).bind(4, a.size).bind(5, a.sha256).bind(6, nowSeconds())
        .run();
  });
}

void RunStore::heartbeat(const std::vector<std::int64_t>& runs, double now) {
  impl_->write([&] {
    auto s = impl_->db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'");
    for (auto run : runs) s.bind(1, now).bind(2, run).run();
  });
}

void RunStore::finishRun(std::int64_t run, RunStatus status, const std::string& error, double now) {
  impl_->write([&] {
    impl_->db.prepare("UPDATE runs SET status = ?, error = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?")
        .bind(1, std::string(nameOf(status))).bind(2, error).bind(3, now).bind(4, now).bind(5, run).run();
  });
}

void RunStore::addTags(std::int64_t run, const std::vector<std::string>& tags) {
  impl_->write([&] {
    auto s = impl_->db.prepare("INSERT OR IGNORE INTO tags(run_id, tag) VALUES(?,?)");
    for (const auto& t : tags) s.bind(1, run).bind(2, t).run();
  });
}

void RunStore::removeTags(std::int64_t run, const std::vector<std::string>& tags) {
  impl_->write([&] {
    auto s = impl_->db.prepare("DELETE FROM tags WHERE run_id = ? AND tag = ?");
    for (const auto& t : tags) s.bind(1, run).bind(2, t).run();
  });
}

void RunStore::addNote(std::int64_t run, const std::string& text, double now) {
  impl_->write([&] {
    impl_->db.prepare("INSERT INTO notes(run_id, created_at, text) VALUES(?,?,?)").bind(1, run).bind(2, now).bind(3, text).run();
  });
}


void RunStore::markQueued(std::int64_t run) {
  impl_->write([&] {
    auto s = impl_->db.prepare("SELECT status FROM runs WHERE id = ?");
    s.bind(1, run);
    if (!s.step()) throw StoreError("no run " + std::to_string(run), StoreError::Kind::NotFound);
    if (s.text(0) == nameOf(RunStatus::Finished))
      throw StoreError("run " + std::to_string(run) + " is finished; submit a new run instead", StoreError::Kind::Refused);
    // The heartbeat stamps when it was queued: fold tasks that write after it belong to this attempt.
    impl_->db.prepare("UPDATE runs SET status = ?, error = '', finished_at = 0, heartbeat_at = ? WHERE id = ?")
        .bind(1, nameOf(RunStatus::Queued))
        .bind(2, nowSeconds())
        .bind(3, run)
        .run();
  });
}

void RunStore::markRunning(std::int64_t run, const std::string& host, double now) {
  impl_->write([&] {
    impl_->db.prepare("UPDATE runs SET status = ?, host = ?, pid = 0, heartbeat_at = ? WHERE id = ? AND status = ?")
        .bind(1, nameOf(RunStatus::Running))
        .bind(2, host)
        .bind(3, now)
        .bind(4, run)
        .bind(5, nameOf(RunStatus::Queued))
        .run();
  });
}

void RunStore::deleteSeries(std::int64_t run, const std::string& prefix) {
  impl_->write([&] {
    Transaction tx(impl_->db);
    for (const char* table : {"metric_chunks", "series_summary"}) {
      auto s = impl_->db.prepare(std::string("DELETE FROM ") + table +
                                 " WHERE run_id = ? AND series_id IN "
                                 "(SELECT id FROM series_names WHERE substr(name, 1, length(?)) = ?)");
      s.bind(1, run).bind(2, prefix).bind(3, prefix).run();
    }
    tx.commit();
  });
}

void RunStore::renameRun(std::int64_t run, const std::string& name) {
  impl_->write([&] { impl_->db.prepare("UPDATE runs SET name = ? WHERE id = ?").bind(1, name).bind(2, run).run(); });
}

namespace {

// How long submit.sh may take from its `cluster queue` to writing slurm/jobs (as settling waits).
constexpr double kSubmissionSeconds = 20.0;

// Why a queued (or running) cluster run cannot be deleted now, with what to do; empty when it was
// prepared and never submitted: submit.sh writes slurm/jobs after sbatch, no fold task has
// started since it was queued, and no submit.sh queued it again in the last 20 s (one may be
// between its `cluster queue` and sbatch right now).
std::string clusterRunInUse(const RunInfo& info, double now) {
  const std::string dir = info.runDir;
  const std::string settle = "; then delete it";
  std::ifstream jobsFile(dir + "/slurm/jobs");
  std::string jobs;
  if (jobsFile.is_open()) {
    std::getline(jobsFile, jobs);
    const std::string cancel = jobs.empty() ? "scancel --name foldbench-" + info.uid : "scancel " + jobs;
    return "is " + std::string(nameOf(info.status)) + " on the cluster (Slurm jobs " + (jobs.empty() ? "unknown" : jobs) +
           "): its tasks may still write its folder. Wait for its merge job, which settles it, or cancel its jobs (" +
           cancel + ") and settle it with: foldbench-cli cluster status --run " + dir + settle;
  }
  if (info.status == RunStatus::Running || clusterTasksStarted(info) > 0)
    return "has fold tasks that started in its folder without a submission on record (" + dir +
           "/slurm/jobs is missing): stop them, then settle the run with: foldbench-cli cluster merge --run " + dir + settle;
  const double requeuedAgo = now - info.heartbeatAt;
  if (info.heartbeatAt > info.createdAt && requeuedAgo < kSubmissionSeconds)
    return "is being submitted (queued again " + std::to_string(static_cast<int>(requeuedAgo)) +
           " s ago, its jobs not recorded in " + dir + "/slurm/jobs yet): try again in 20 s";
  return {};
}

}  // namespace

void RunStore::deleteRun(std::int64_t run, bool withFiles) {
  const auto detail = showRun(run);
  if (detail.info.status == RunStatus::Running && !isClusterRun(detail.info) &&
      !runLooksDead(detail.info, kStaleHeartbeatSeconds, nowSeconds()))
    throw StoreError("run " + detail.info.uid + " is still running (pid " + std::to_string(detail.info.pid) + " on " +
                     detail.info.host + "); stop it before deleting it",
                     StoreError::Kind::Refused);
  // Until its merge settles it, a cluster run's tasks may be running (or waiting to run) on other
  // nodes and writing into its folder, whatever an earlier attempt left there. Only a run that
  // was prepared and never submitted has no task to wait for.
  if (detail.info.status == RunStatus::Queued || (detail.info.status == RunStatus::Running && isClusterRun(detail.info)))
    if (const auto why = clusterRunInUse(detail.info, nowSeconds()); !why.empty())
      throw StoreError("run " + detail.info.uid + " " + why, StoreError::Kind::Refused);
  if (withFiles) checkOwnRunDirectory(detail.info, "delete the files of");
  impl_->write([&] {
    Transaction tx(impl_->db);
    for (const char* table : {"params", "fields", "folds", "metric_chunks", "series_summary", "artifacts", "tags", "notes"})
      impl_->db.prepare(std::string("DELETE FROM ") + table + " WHERE run_id = ?").bind(1, run).run();
    impl_->db.prepare("DELETE FROM runs WHERE id = ?").bind(1, run).run();
    tx.commit();
  });
  if (!withFiles) return;
  // Only the run's own directory goes; files recorded elsewhere (submissions) are the user's.
  std::error_code ec;
  fs::remove_all(detail.info.runDir, ec);
}

}  // namespace foldbench::tracker
