#pragma once
// Reclaiming disk space: a pruned run loses its fold checkpoints (nearly all of its bytes) and
// keeps its metrics, config, out-of-fold predictions and submissions, so it can still be
// browsed and compared, but no longer predict. Only files inside the run's own directory go,
// never those of a running run.
#include <cstdint>
#include <string>
#include <vector>

#include "foldbench/tracker/run_store.h"

namespace foldbench::tracker {

struct PruneSelection {
  std::vector<std::string> runs;  // ids or uids; empty: every run the filter matches
  std::string filter;             // see filter.h
  int keepBest = 0;               // leave the first N in `by` order alone
  std::string by = "-cv/val/acc/mean";  // a sort as in ListQuery ('-' for descending)
};

// The runs a selection names, best kept ones left out, in `by` order.
std::vector<std::int64_t> selectRuns(const RunStore& store, const PruneSelection& selection);

struct PrunePlan {
  std::int64_t run = 0;
  std::string uid;
  std::string runDir;
  std::vector<std::string> files;  // checkpoint files that exist, inside the run directory
  std::uintmax_t bytes = 0;        // their total size
  std::string refused;             // why this run is left alone ("" when it is not)
};

// What pruning `runs` would delete: a dry run calls only this.
std::vector<PrunePlan> planPrune(const RunStore& store, const std::vector<std::int64_t>& runs);

// Deletes the planned files of every run not refused, leaves the PRUNED note in its directory,
// records sys/pruned_at, sys/pruned_bytes and sys/disk_bytes, and returns the bytes freed.
std::uintmax_t prune(RunStore& store, const std::vector<PrunePlan>& plans);

// The bytes of the regular files under `dir` (0 when it does not exist).
std::uintmax_t directoryBytes(const std::string& dir);

// "2.6 GB", "131 MB", "12 KB", "512 B".
std::string formatBytes(double bytes);

}  // namespace foldbench::tracker
