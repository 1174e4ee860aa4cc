#pragma once
// The local run tracker: one SQLite file (experiments.db by default) holding runs, their
// parameters, per-fold records, metric series with summaries, fields, artifacts, tags, notes.
// One RunStore per thread; several processes may share a file (WAL, busy timeout).
#include <memory>
#include <stdexcept>
#include <set>
#include <string>
#include <vector>

#include "foldbench/tracker/records.h"

namespace foldbench::tracker {

inline constexpr int kSchemaVersion = 4;
inline constexpr const char* kDefaultDatabase = "experiments.db";

// A file that cannot be used: not a Foldbench database, a newer schema, read-only, full disk.
// The file is never modified when this is thrown on open.
class StoreError : public std::runtime_error {
 public:
  // What went wrong, for callers that react differently (browse a read-only file, retry a busy
  // one): never match the message text.
  enum class Kind { Other, NotFound, NotATracker, NewerSchema, Corrupt, ReadOnly, Busy, Io, Refused };
  explicit StoreError(const std::string& message, Kind kind = Kind::Other)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct ListQuery {
  std::string filter;               // see filter.h
  std::string sort = "-created";    // field or column, '-' for descending
  int limit = 0;                    // 0: all
  std::vector<std::string> fields;  // field keys to return with each run
  std::vector<std::string> params;  // parameter keys ("train.lr") to return with each run
  // When > 0, only runs created, heartbeating or finished at or after this time: what a view
  // that already holds the rest needs to re-read after a change.
  double touchedSince = 0.0;
};

struct ImportResult {
  int imported = 0;
  int skipped = 0;  // already present (same uid)
};

class RunStore {
 public:
  enum class Access { ReadWrite, ReadOnly };

  // Opens or creates the store. ReadWrite migrates older schemas and marks dead runs crashed.
  static RunStore open(const std::string& path, Access access = Access::ReadWrite);
  ~RunStore();
  RunStore(RunStore&&) noexcept;
  RunStore& operator=(RunStore&&) noexcept;

  // Writes.
  std::int64_t createRun(const RunInfo& info, const std::vector<std::pair<std::string, std::string>>& params);
  void writeMetrics(std::int64_t run, const std::vector<MetricPoint>& points);
  void setFields(std::int64_t run, const std::vector<Field>& fields);
  void upsertFold(std::int64_t run, const FoldRecord& fold);
  void addArtifact(std::int64_t run, const Artifact& artifact);
  void heartbeat(const std::vector<std::int64_t>& runs, double now);
  void finishRun(std::int64_t run, RunStatus status, const std::string& error, double now);
  // Cluster runs: back to queued for another submission (refused for a finished run), and
  // queued -> running when a task starts on `host` (any other status is left alone, so a
  // failure a sibling task recorded stays visible).
  void markQueued(std::int64_t run);
  void markRunning(std::int64_t run, const std::string& host, double now);
  // Removes the run's metric series whose names start with `prefix` ("fold/2/"): what a merge
  // replaces with a fold's complete series.
  void deleteSeries(std::int64_t run, const std::string& prefix);
  void addTags(std::int64_t run, const std::vector<std::string>& tags);
  void removeTags(std::int64_t run, const std::vector<std::string>& tags);
  void addNote(std::int64_t run, const std::string& text, double now);
  void renameRun(std::int64_t run, const std::string& name);
  // Deletes every row of the run; with `withFiles`, also its artifact files and run directory.
  void deleteRun(std::int64_t run, bool withFiles);
  // Runs still "running" whose process is gone (same host) or whose heartbeat is older than
  // `staleSeconds` become "crashed". Returns how many.
  int markCrashedRuns(double staleSeconds, double now);
  // Copies the runs of another store that this one lacks (by uid); importing twice adds nothing.
  ImportResult importFrom(const std::string& otherPath);

  // Reads.
  std::int64_t resolve(const std::string& idOrUid) const;  // numeric id, uid, or unique uid prefix
  std::vector<RunRow> listRuns(const ListQuery& query) const;
  RunDetail showRun(std::int64_t run) const;
  Series series(std::int64_t run, const std::string& name) const;
  // Only the points after `afterStep`: a live view reads what is new, not the whole series.
  Series seriesAfter(std::int64_t run, const std::string& name, std::int64_t afterStep) const;
  std::vector<std::string> seriesNames(std::int64_t run) const;
  // Every field key and parameter key any run holds: what a typed name is checked against.
  std::set<std::string> fieldKeys() const;
  std::set<std::string> paramKeys() const;
  std::int64_t metricCount(std::int64_t run) const;
  std::string integrityCheck() const;  // "ok" when healthy
  // Changes whenever another connection commits to the file (SQLite's data_version): a reader
  // polls it and re-reads only when it moved.
  std::int64_t dataVersion() const;

  // Holds one read transaction: every read until it ends sees the same snapshot, however many
  // statements a view needs and whatever writers commit meanwhile. Reads outside one take
  // their own snapshot per call.
  class Snapshot {
   public:
    explicit Snapshot(const RunStore& store);
    ~Snapshot();
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

   private:
    const RunStore& store_;
    bool owns_ = false;
  };
  const std::string& path() const;

 private:
  struct Impl;
  explicit RunStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A "running" run whose process is gone (same host) or whose heartbeat is older than
// `staleSeconds`: what markCrashedRuns marks, and what a read-only view shows as crashed.
bool runLooksDead(const RunInfo& info, double staleSeconds, double now);
inline constexpr double kStaleHeartbeatSeconds = 30.0;
// Runs whose folds are cluster jobs record host "slurm job <id>" and no pid.
inline constexpr const char* kClusterHostPrefix = "slurm job ";
inline bool isClusterRun(const RunInfo& info) { return info.host.rfind(kClusterHostPrefix, 0) == 0; }

std::string sha256File(const std::string& path);
std::string hostName();
double nowSeconds();

}  // namespace foldbench::tracker
