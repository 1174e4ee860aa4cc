#pragma once
// Sweeps and their trials in the tracker file (tables sweeps and sweep_trials, schema 4). A
// trial is one configuration of a sweep; each attempt at it is a run of the runs table, linked
// by uid. Several worker processes share one file: a trial is claimed in one write transaction,
// so no two workers take the same trial and none is created twice.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "foldbench/tracker/run_store.h"
#include "foldbench/util/enum_names.h"

namespace foldbench::tracker {

// Pending: created (or released after its worker died or stopped), waiting for a worker.
enum class TrialStatus { Pending, Running, Finished, Pruned, Failed };

struct SweepRecord {
  std::int64_t id = 0;
  std::string name;
  double createdAt = 0.0;
  std::string specJson;        // the search space, sampler, budget and racing rule (sweep/sweep_spec.h)
  std::string baseConfigJson;  // the experiment config every trial starts from
};

struct FoldScore {
  int fold = 0;
  double accuracy = 0.0;  // the fold's best validation accuracy
};

struct TrialRecord {
  std::int64_t sweepId = 0;
  int trial = 0;  // 1-based, in creation order
  TrialStatus status = TrialStatus::Pending;
  std::vector<std::pair<std::string, std::string>> params;  // swept field -> formatted value, in space order
  std::vector<int> foldOrder;                               // the folds in the order this trial trains them
  std::vector<FoldScore> scores;                            // finished folds, in training order
  double mean = 0.0, stddev = 0.0;                          // over `scores` (partial while running or pruned)
  std::string reason;                                       // why pruned or failed
  std::string runUid;                                       // the latest attempt's run ("" before one starts)
  std::string host;
  int pid = 0;
  int attempts = 0;                                         // runs started for this trial
  double heartbeatAt = 0.0, startedAt = 0.0, finishedAt = 0.0;
};

class SweepStore {
 public:
  // Opens (ReadWrite: creates or migrates, as RunStore::open does) the tracker file.
  static SweepStore open(const std::string& path, RunStore::Access access = RunStore::Access::ReadWrite);
  ~SweepStore();
  SweepStore(SweepStore&&) noexcept;
  SweepStore& operator=(SweepStore&&) noexcept;

  // Throws StoreError(Refused) when a sweep of that name exists.
  std::int64_t createSweep(const std::string& name, const std::string& specJson, const std::string& baseConfigJson);
  std::vector<SweepRecord> listSweeps() const;
  std::optional<SweepRecord> findSweep(const std::string& name) const;
  std::vector<TrialRecord> trials(std::int64_t sweep) const;
  // Deletes the sweep and its trial rows; the trials' runs stay in the runs table.
  void deleteSweep(std::int64_t sweep);

  // In one write transaction: releases dead trials (see releaseDeadTrials), then takes the
  // lowest pending trial, or, when fewer than `maxTrials` exist (0: no limit), creates trial
  // number n+1 from `propose(existing trials, n+1)`; marks it running for this process. Empty
  // when nothing is left to run.
  using Proposal = std::function<TrialRecord(const std::vector<TrialRecord>& existing, int number)>;
  std::optional<TrialRecord> claimTrial(std::int64_t sweep, int maxTrials, const Proposal& propose);
  // A running trial whose process is gone (this host) or whose heartbeat is older than
  // `staleSeconds` goes back to pending, its scores cleared; returns how many.
  int releaseDeadTrials(std::int64_t sweep, double staleSeconds = kStaleHeartbeatSeconds);

  // The writes of the worker running a trial. `attempt` (the claimed TrialRecord's attempts)
  // guards them: a worker whose trial was released and claimed again by another (a heartbeat
  // lost on a busy file, say) changes nothing, and false is returned. 0: unguarded.
  bool linkRun(std::int64_t sweep, int trial, const std::string& runUid, int attempt = 0);
  bool recordFold(std::int64_t sweep, int trial, const FoldScore& score, int attempt = 0);
  bool heartbeat(std::int64_t sweep, int trial, int attempt = 0);
  // Ends a running trial: Finished, Pruned or Failed keep their scores; Pending (a stopped
  // trial, to run again later) clears them.
  bool finishTrial(std::int64_t sweep, int trial, TrialStatus status, const std::string& reason, int attempt = 0);

  std::int64_t dataVersion() const;
  const std::string& path() const;

 private:
  struct Impl;
  explicit SweepStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace foldbench::tracker

namespace foldbench {
template <>
struct EnumNames<tracker::TrialStatus> {
  static const std::vector<std::pair<tracker::TrialStatus, const char*>>& all() {
    using S = tracker::TrialStatus;
    static const std::vector<std::pair<S, const char*>> names = {
        {S::Pending, "pending"}, {S::Running, "running"}, {S::Finished, "finished"}, {S::Pruned, "pruned"}, {S::Failed, "failed"}};
    return names;
  }
};
}  // namespace foldbench
