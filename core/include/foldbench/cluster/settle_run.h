#pragma once
// A cluster run stays queued or running in the tracker until its merge job settles it. When
// its jobs leave Slurm's queue without the merge having run (scancel, a node failure), nothing
// else would: this asks squeue and marks such a run failed, saying why, from the host the user
// works on.
#include <cstdint>
#include <optional>
#include <string>

#include "foldbench/tracker/run_store.h"

namespace foldbench::cluster {

inline constexpr double kSettleGraceSeconds = 20.0;

// The reason the run was settled with, or nullopt when it was left as it is: not an unsettled
// cluster run, not submitted by this user (no slurm/jobs of theirs), queued less than
// kSettleGraceSeconds ago, squeue cannot be asked here, or some of its jobs are in the queue.
// `foldsFinished`/`folds`: for the message (how much of the run is done), -1 when unknown.
std::optional<std::string> settleIfJobsGone(tracker::RunStore& store, std::int64_t run, int foldsFinished = -1,
                                            int folds = -1);

}  // namespace foldbench::cluster
