#pragma once
// What Slurm's queue says about a run's jobs (squeue). A run whose jobs left the queue without
// its merge job finishing it (scancel, a node failure, a job killed before it started) would
// otherwise stay queued or running in the tracker for ever.
#include <optional>
#include <string>
#include <vector>

namespace foldbench::cluster {

// The job names a run's scripts give its jobs: "foldbench-<run>" (the fold array) and
// "foldbench-<run>-merge".
std::string jobNames(const std::string& runId);

// "<job id> <name> <state>" for each of the run's jobs in the queue; nullopt when squeue cannot
// be run here or does not answer (no Slurm on this machine, or its controller is down).
std::optional<std::vector<std::string>> queuedJobs(const std::string& runId);

}  // namespace foldbench::cluster
