#include "cluster_commands.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "foldbench/cluster/settle_run.h"
#include "foldbench/cluster/slurm_queue.h"
#include "foldbench/cluster/slurm_scripts.h"
#include "foldbench/kfold/fold_tasks.h"
#include "foldbench/platform/workspace.h"
#include "foldbench/recording/cluster_run.h"
#include "foldbench/tracker/observed_status.h"
#include "foldbench/tracker/run_store.h"
#include "foldbench/util/numbers.h"
#include "progress_printer.h"
#include "train_commands.h"

namespace foldbench::cli {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> gCancel{false};
extern "C" void onClusterSignal(int) { gCancel.store(true); }

std::string absolute(const std::string& path) {
  return path.empty() ? path : fs::absolute(path).lexically_normal().string();
}

std::string selfPath() {
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("foldbench-cli") : exe.string();
}

// cluster slurm: prepares the run (data checked, tokenizer trained, config saved) on the
// submitting machine, records it queued, writes the scripts and, with --submit, submits them.
int slurmCommand(const Args& args) {
  args.allowOnly({"config", "preset", "train", "labels", "out", "name", "epochs", "db", "tag", "note", "experiment",
                  "partition", "time", "cpus", "gpus", "mem", "submit"});
  auto c = configFrom(args);
  if (c.kfold.fold >= 0)
    throw UsageError("kfold.fold is " + std::to_string(c.kfold.fold) +
                     ": a cluster run trains every fold, one array task each; set it to -1");
  cluster::SlurmOptions slurm;
  slurm.cpus = args.intValue("cpus", 1);
  slurm.gpus = args.intValue("gpus", 0);
  slurm.partition = args.value("partition", "");
  slurm.time = args.value("time", "");
  slurm.memory = args.value("mem", "");
  c.train.threads = slurm.cpus;
  // Tasks start in other directories on other machines: every path they read is absolute.
  for (std::string* path : {&c.data.trainPath, &c.data.testPath, &c.data.labelsPath, &c.tokenizer.modelPath})
    *path = absolute(*path);
  slurm.database = absolute(trackerPath(args));
  c.run.outputDir = platform::runFolderFor(c.run.outputDir, slurm.database);
  try {
    cluster::checkRunFolder(c.run.outputDir);
    cluster::checkSlurmValues(slurm);  // before anything is prepared or recorded
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }

  ProgressPrinter progress(0);
  const auto prepared = kfold::prepareRun(c, progress);
  recording::RunDescription description;
  description.experiment = args.value("experiment", "default");
  description.tags = splitCommaList(args.value("tag", ""));
  description.note = args.value("note", "");
  recording::recordQueuedRun(slurm.database, prepared, description, FOLDBENCH_VERSION);
  slurm.cli = selfPath();
  slurm.runDir = prepared.runDir;
  slurm.runId = prepared.runId;
  slurm.folds = kfold::foldCount(prepared.config);
  const std::string submit = cluster::writeSlurmScripts(slurm);
  std::printf("run %s queued in %s\nscripts in %s/slurm; submit with %s\n", prepared.runId.c_str(),
              slurm.database.c_str(), prepared.runDir.c_str(), submit.c_str());
  int rc = 0;
  if (args.flag("submit")) {
    std::fflush(stdout);
    rc = std::system(cluster::shellQuote(submit).c_str());
    if (rc != 0) std::fprintf(stderr, "error: %s failed; the run stays queued: fix the cause and run it again\n", submit.c_str());
  }
  std::printf("run_dir=%s\nrun_id=%s\n", prepared.runDir.c_str(), prepared.runId.c_str());
  return rc == 0 ? 0 : 1;
}

std::string runIdOf(const std::string& runDir) { return fs::path(absolute(runDir)).filename().string(); }

int queueCommand(const Args& args) {
  args.allowOnly({"run", "db"});
  const auto runDir = args.value("run");
  if (!runDir) throw UsageError("cluster queue needs --run DIR");
  auto store = tracker::RunStore::open(trackerPath(args));
  store.markQueued(store.resolve(runIdOf(*runDir)));
  std::printf("run %s queued\n", runIdOf(*runDir).c_str());
  return 0;
}

int foldCommand(const Args& args) {
  args.allowOnly({"run", "fold", "db"});
  const auto runDir = args.value("run");
  if (!runDir) throw UsageError("cluster fold needs --run DIR");
  const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
  const int fold = args.intValue("fold", task ? std::atoi(task) : -1);
  if (fold < 0) throw UsageError("cluster fold needs --fold K (or SLURM_ARRAY_TASK_ID)");
  std::signal(SIGINT, onClusterSignal);
  std::signal(SIGTERM, onClusterSignal);  // Slurm's warning before a time limit
  ProgressPrinter progress(1);
  // --db is accepted for scripts written before tasks stopped writing the tracker: a task
  // writes only inside the run folder (the merge job records the run).
  kfold::PreparedRun prepared;
  try {
    prepared = kfold::reopenRun(*runDir, progress, &gCancel);
  } catch (const std::exception& e) {
    // A node that cannot read the run (a file system not mounted there, data moved or changed)
    // leaves the reason where the merge reads it, instead of only "no result".
    kfold::recordFoldFailure(absolute(*runDir), fold, e.what());
    throw;
  }
  const auto result = recording::runFoldTask(prepared, fold, progress, gCancel, FOLDBENCH_VERSION);
  std::printf("fold %d %s: best epoch %d, val acc %.4f, micro-F1 %.4f\n", fold, train::toString(result.status),
              result.bestEpoch, result.best.accuracy, result.best.microF1);
  if (!result.error.empty()) std::printf("error: %s\n", result.error.c_str());
  return result.status == train::FoldStatus::Failed ? 1 : result.status == train::FoldStatus::Stopped ? 130 : 0;
}

int mergeCommand(const Args& args) {
  args.allowOnly({"run", "db"});
  const auto runDir = args.value("run");
  if (!runDir) throw UsageError("cluster merge needs --run DIR");
  ProgressPrinter progress(0);
  kfold::PreparedRun prepared;
  try {
    prepared = kfold::reopenRun(*runDir, progress);
  } catch (const std::exception& e) {
    // The merge is the job that settles the run: a merge that cannot even reopen it (data
    // changed or missing) fails it with the reason, so the tracker says why.
    try {
      auto store = tracker::RunStore::open(absolute(trackerPath(args)));
      store.finishRun(store.resolve(runIdOf(*runDir)), RunStatus::Failed, std::string("merge: ") + e.what(),
                      tracker::nowSeconds());
    } catch (const std::exception&) {
      // The reason still reaches the merge job's log: the exception goes on.
    }
    throw;
  }
  const auto result = recording::mergeClusterRun(prepared, absolute(trackerPath(args)));
  printSummary(result, kfold::foldCount(prepared.config));
  std::printf("summary=%s/summary.json\nrun_id=%s\n", prepared.runDir.c_str(), result.runId.c_str());
  return result.status == RunStatus::Finished ? 0 : 1;
}

// One fold task's state, from the run folder alone (tasks write nowhere else).
std::string foldTaskState(const std::string& runDir, int fold) {
  const std::string result = kfold::foldResultPath(runDir, fold);
  if (fs::exists(result)) {
    try {
      const auto r = kfold::readFoldResult(result);
      std::string state = train::toString(r.status);
      if (r.bestEpoch > 0) state += ", best epoch " + std::to_string(r.bestEpoch) + ", val acc " + util::formatFixed(r.best.accuracy, 4);
      if (!r.error.empty()) state += ": " + r.error;
      return state;
    } catch (const std::exception& e) {
      return std::string("unreadable result: ") + e.what();
    }
  }
  if (fs::exists(recording::foldDatabasePath(runDir, fold))) return "started (no result yet: training, or interrupted)";
  return "not started";
}

// cluster status: each fold task's state from the run folder, the run's jobs in Slurm's queue,
// and the tracker's record; a run whose jobs have all left the queue while the tracker still
// has it queued or running (its merge never ran: jobs cancelled) is settled as failed.
int statusCommand(const Args& args) {
  args.allowOnly({"run", "db"});
  const auto runDirArg = args.value("run");
  if (!runDirArg) throw UsageError("cluster status needs --run DIR");
  const std::string runDir = absolute(*runDirArg);
  if (!fs::exists(runDir + "/config.json")) throw std::runtime_error(runDir + "/config.json not found: not a prepared run directory");
  const auto config = config::loadConfig(runDir + "/config.json");
  const std::string runId = runIdOf(runDir);
  const int folds = kfold::foldCount(config);
  int finished = 0;
  for (int fold = 0; fold < folds; ++fold) {
    const auto state = foldTaskState(runDir, fold);
    if (state.rfind("finished", 0) == 0 || state.rfind("early_stopped", 0) == 0) ++finished;
    std::printf("fold %d: %s\n", fold, state.c_str());
  }
  const auto jobs = cluster::queuedJobs(runId);
  if (!jobs) std::printf("slurm: squeue cannot be run here: whether the run's jobs are still queued is unknown\n");
  else if (jobs->empty()) std::printf("slurm: no job of the run is in the queue\n");
  else
    for (const auto& job : *jobs) std::printf("slurm: %s\n", job.c_str());
  auto store = tracker::RunStore::open(trackerPath(args));
  const auto run = store.resolve(runId);
  cluster::settleIfJobsGone(store, run, finished, folds);
  const auto info = store.showRun(run).info;
  std::printf("tracker: run %s %s%s%s\n", runId.c_str(), nameOf(tracker::observedStatus(info, tracker::nowSeconds())),
              info.error.empty() ? "" : ": ", info.error.c_str());
  return 0;
}

}  // namespace

int clusterCommand(const std::string& verb, const Args& args) {
  if (verb == "slurm") return slurmCommand(args);
  if (verb == "queue") return queueCommand(args);
  if (verb == "fold") return foldCommand(args);
  if (verb == "merge") return mergeCommand(args);
  if (verb == "status") return statusCommand(args);
  throw UsageError("unknown cluster command '" + verb + "' (slurm, queue, fold, merge, status)");
}

}  // namespace foldbench::cli
