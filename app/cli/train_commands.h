#pragma once
#include "args.h"
#include "foldbench/config/experiment_config.h"
#include "foldbench/kfold/kfold_runner.h"

namespace foldbench::cli {

// foldbench-cli config docs: the Markdown reference of every config field (docs/CONFIG.md)
int configDocs(const Args& args);
// foldbench-cli config init [--preset NAME] [--docs]
int configInit(const Args& args);
// foldbench-cli train --config FILE [--preset NAME] [--train FILE] [--labels FILE] [--fold K] [--out DIR] [--name N]
int trainCommand(const Args& args);
// The experiment config the train options describe (--config or --preset, then overrides).
config::ExperimentConfig configFrom(const Args& args);
// The per-fold table and cross-validation line printed at the end of a run.
// `plannedFolds`: how many folds the run set out to train.
void printSummary(const kfold::RunResult& result, int plannedFolds);

// foldbench-cli predict --run DIR --test FILE --out FILE [--force]
int predictCommand(const Args& args);

}  // namespace foldbench::cli
