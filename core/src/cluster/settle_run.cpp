#include "foldbench/cluster/settle_run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "foldbench/cluster/slurm_queue.h"

namespace foldbench::cluster {

std::optional<std::string> settleIfJobsGone(tracker::RunStore& store, std::int64_t run, int foldsFinished, int folds) {
  const auto info = store.showRun(run).info;
  const bool unsettled = info.status == RunStatus::Queued || info.status == RunStatus::Running;
  if (!unsettled || !tracker::isClusterRun(info)) return std::nullopt;
  // Only a run this user submitted (submit.sh wrote slurm/jobs after sbatch): squeue shows
  // only one's own jobs where Slurm keeps jobs private, and a run prepared but not submitted yet,
  // or being submitted right now, has no jobs to miss.
  struct stat jobsFile {};
  if (::stat((info.runDir + "/slurm/jobs").c_str(), &jobsFile) != 0 || jobsFile.st_uid != ::geteuid()) return std::nullopt;
  // A grace period after it was queued: squeue may not list a job in its first seconds.
  if (tracker::nowSeconds() - std::max(info.heartbeatAt, info.createdAt) < kSettleGraceSeconds) return std::nullopt;
  const auto jobs = queuedJobs(info.uid);
  if (!jobs || !jobs->empty()) return std::nullopt;
  // The merge may have settled it between the read above and squeue's answer.
  if (const auto now = store.showRun(run).info.status; now != RunStatus::Queued && now != RunStatus::Running)
    return std::nullopt;
  std::string reason = "none of its Slurm jobs is in the queue and its merge did not run (cancelled or killed)";
  if (folds > 0) reason += "; " + std::to_string(foldsFinished) + " of " + std::to_string(folds) + " folds finished";
  reason += ". Resubmit with " + info.runDir + "/slurm/submit.sh, or delete the run";
  store.finishRun(run, RunStatus::Failed, reason, tracker::nowSeconds());
  return reason;
}

}  // namespace foldbench::cluster
