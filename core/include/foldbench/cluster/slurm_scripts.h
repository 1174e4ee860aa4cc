#pragma once
// The batch scripts of a run whose folds are a Slurm job array: one task per fold, then a
// merge job that depends on the array (afterany: it runs whatever happened to the tasks, so
// the run always ends finished, failed or stopped in the tracker), and submit.sh, which marks
// the run queued and submits both. Running submit.sh again resubmits: finished folds are
// skipped and interrupted ones resume from their checkpoints. Plain C++, no scheduler calls.
#include <string>

namespace foldbench::cluster {

struct SlurmOptions {
  std::string cli;        // absolute path of foldbench-cli on the nodes
  std::string runDir;     // absolute; on a file system every node sees
  std::string database;   // the main tracker, absolute
  std::string runId;
  int folds = 5;
  int cpus = 1;           // per fold task; the torch thread count
  int gpus = 0;           // per fold task (--gres=gpu:N)
  std::string partition;  // empty: the cluster's default
  std::string time;       // per task, Slurm syntax ("2:00:00"); empty: the partition's default
  std::string memory;     // per task ("8G"); empty: the partition's default
};

struct SlurmScripts {
  std::string folds, merge, submit;  // file contents
};

SlurmScripts slurmScripts(const SlurmOptions& options);

// Writes folds.sbatch, merge.sbatch and submit.sh (executable) into <runDir>/slurm/.
// Returns the path of submit.sh.
std::string writeSlurmScripts(const SlurmOptions& options);

// A sweep's workers as a Slurm job array (foldbench-cli sweep run --slurm N): `o.folds` tasks,
// each `foldbench-cli sweep run SWEEP --workers 1` on the shared tracker `o.database` with
// `o.cpus` threads; logs go to `o.runDir` (the sweep's folder). Workers claim trials from the
// tracker, so the array may be submitted again to add workers or resume.
std::string sweepWorkersScript(const SlurmOptions& o, const std::string& sweep);

// Throws std::invalid_argument when `runFolder` cannot be named in an #SBATCH line (Slurm splits
// those at whitespace): checked before a run is prepared, and again when its scripts are made.
void checkRunFolder(const std::string& runFolder);

// Throws std::invalid_argument naming the option (--partition, --time, --mem) when a value is
// not in Slurm's syntax. They go unquoted into #SBATCH lines, where a newline would end the
// directive and make the rest a shell command on every node. Checked before a run is prepared,
// and again when its scripts are made.
void checkSlurmValues(const SlurmOptions& options);

// 'text' for a POSIX shell, whatever it contains.
std::string shellQuote(const std::string& text);

}  // namespace foldbench::cluster
