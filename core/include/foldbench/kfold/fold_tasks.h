#pragma once
// A run whose folds train in separate processes, such as the tasks of a Slurm job array: the
// run directory is prepared once (prepareRun), each task reopens it and trains one fold into
// it, leaving fold-K/result.json beside fold-K/best.pt, and a last step merges the folds into
// the run's summary.json and oof.tsv with the same code a run in one process uses.
#include <atomic>
#include <string>

#include "foldbench/kfold/kfold_runner.h"

namespace foldbench::kfold {

// Reads a directory prepareRun made (config.json, labels.tsv, tokenizer.model) and loads and
// encodes the training rows again. Creates and removes nothing. Throws naming the missing file.
PreparedRun reopenRun(const std::string& runDir, train::TrainingObserver& observer,
                      const std::atomic<bool>* cancel = nullptr);

// How many folds the run trains (0..count-1): the array's size. A config that picks one fold
// (kfold.fold) is not a cluster run; the submitting command refuses it.
int foldCount(const config::ExperimentConfig& config);

std::string foldResultPath(const std::string& runDir, int fold);

// Trains one fold of a reopened run and writes its result file, also when it fails. A fold
// whose result file says finished is not trained again; one with a checkpoint but no finished
// result (a task killed or stopped) resumes from the checkpoint when the run saves the
// optimizer's state (train.save_optimizer), and starts again from epoch 1, saying so, when it
// does not. Never throws for training failures.
train::FoldResult trainFoldTask(const PreparedRun& prepared, int fold, train::TrainingObserver& observer,
                                const std::atomic<bool>& cancel);

// Writes fold-K/result.json saying the fold failed with `error`, where the merge reads it, and
// returns that result. Used for a task that cannot even reopen the run.
train::FoldResult recordFoldFailure(const std::string& runDir, int fold, const std::string& error);

void writeFoldResult(const std::string& path, const train::FoldResult& result);
train::FoldResult readFoldResult(const std::string& path);

// The run's result from every fold's result file, as runFolds would have returned it. A fold
// without a result file, or one that failed or stopped, makes the run failed or stopped with
// that fold's error. `seconds`: the folds' training time, summed.
RunResult mergeFoldResults(const PreparedRun& prepared);

}  // namespace foldbench::kfold
