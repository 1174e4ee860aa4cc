#pragma once
// Ensembles over the fold checkpoints of one or more runs: checked on out-of-fold predictions
// first, then applied to a test file. Each run encodes the test rows its own way.
//
// Members are runs. A run's prediction for a row is the mean of its folds' probabilities on a
// test file, and on a training row the one fold model that did not see it. Soft voting
// averages the runs, weighted voting weights them (fitted on out-of-fold rows, or by mean
// validation accuracy), hard voting takes the majority of the runs' predicted classes (ties:
// the highest mean probability). The same combination, `combineRuns`, decides out-of-fold
// rows and test rows.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "foldbench/config/experiment_config.h"
#include "foldbench/data/example.h"
#include "foldbench/data/label_map.h"
#include "foldbench/ensemble/greedy_selection.h"
#include "foldbench/ensemble/voting.h"

namespace foldbench::ensemble {

struct FoldMember {
  int fold = 0;
  std::string checkpoint;
  double validationAccuracy = 0.0;
};

struct RunMembers {
  std::string runDir;
  std::string uid;
  config::ExperimentConfig config;
  data::LabelMap labels;
  std::vector<FoldMember> folds;        // trained folds only
  std::vector<std::string> oofIds;      // training row ids with an out-of-fold prediction
  std::vector<int> oofGold;             // their labels
  std::vector<int> oofFolds;            // the fold each row was predicted in
  Probabilities oof;                    // their out-of-fold probabilities
  std::string prunedNote;               // non-empty when the checkpoints were pruned
};

// Reads summary.json, config.json, labels.tsv and oof.tsv of a run directory.
RunMembers loadRun(const std::string& runDir);

// Throws unless there is at least one run and all runs use the same label map.
void checkSameLabelMaps(const std::vector<RunMembers>& runs);

struct EnsembleOptions {
  Vote vote = Vote::Soft;
  RunWeights runWeights = RunWeights::Fitted;  // with Vote::Weighted
  GreedyOptions greedy;            // with RunWeights::Greedy
  bool fitPrior = false;           // fit a constant for the no-relation class on out-of-fold data
  FitMetric fitMetric = FitMetric::Accuracy;  // what fitted weights and the constant maximise
  std::string noRelationLabel = "관계_없음";
};

struct MemberScore {
  std::string name;  // run uid
  double accuracy = 0.0, microF1 = 0.0;
};

struct ClassChange {
  std::string label;
  std::int64_t support = 0;
  double bestMemberF1 = 0.0, ensembleF1 = 0.0;  // ensemble: cross-fitted
};

struct OofReport {
  std::vector<MemberScore> members;
  // Fitted on all shared rows and scored on the same rows: optimistic whenever something is
  // fitted. What the submission uses.
  MemberScore inSample;
  // Each fold's rows decided with weights and constant fitted on the other folds' rows only:
  // the honest estimate. Equal to inSample when nothing is fitted.
  MemberScore crossFitted;
  bool fitted = false;  // weights or the constant were fitted on out-of-fold rows
  std::vector<double> runWeights;
  // RunWeights::Greedy: how often each run was selected on all shared rows (runWeights are
  // these over their sum), e.g. "3x run A, 1x run B". Empty with other weights.
  std::vector<int> selectionCounts;
  double noRelationBias = 0.0;
  std::size_t rows = 0;  // rows every run has an out-of-fold prediction for
  std::vector<std::string> ids;  // those rows
  std::vector<int> inSamplePredicted;
  std::vector<int> crossFittedPredicted;
  // What decided each fold's rows in the cross-fitting (one per fold when `fitted`): fitted on
  // `fittedRows` rows of the other folds only.
  struct FoldFit {
    int fold = 0;
    std::size_t fittedRows = 0;
    std::vector<double> runWeights;
    std::vector<int> selectionCounts;  // RunWeights::Greedy only
    double noRelationBias = 0.0;
  };
  std::vector<FoldFit> crossFits;
  std::size_t bestMember = 0;  // the member with the best accuracy
  std::vector<ClassChange> classChanges;
};

// Scores each run and the ensemble on the out-of-fold rows all runs share, in sample and
// cross-fitted. Throws when the runs use different label maps, share no rows, or disagree on
// the gold label of a row.
OofReport evaluateOutOfFold(const std::vector<RunMembers>& runs, const EnsembleOptions& options);

// The ensemble's decision per row from each run's probabilities ([run][row][class]).
std::vector<int> combineRuns(const std::vector<Probabilities>& perRun, const EnsembleOptions& options,
                             const std::vector<double>& runWeights, double noRelationBias, int noRelationId);

// Thrown by predictTest when `cancel` is set.
class PredictionCancelled : public std::runtime_error {
 public:
  PredictionCancelled() : std::runtime_error("the prediction was cancelled") {}
};

struct PredictOptions {
  int batchSize = 128;
  // sha256 of the test file: each run's fold probabilities are cached in its run directory
  // under this key, so predicting the same file again reads no checkpoint. Empty: no cache.
  std::string testSha256;
  std::function<void(int done, int total)> progress;  // fold checkpoints predicted (or read from cache)
  const std::atomic<bool>* cancel = nullptr;
};

struct TestPrediction {
  Probabilities probabilities;  // combined
  std::vector<int> predicted;
  int members = 0;              // fold checkpoints used
  int checkpointsLoaded = 0;    // of those, how many were read (the others came from the cache)
  std::vector<std::string> cacheFiles;  // written or used, one per run
};

// Predicts `rows` with every fold checkpoint of every run and combines them with the fitted report.
TestPrediction predictTest(const std::vector<RunMembers>& runs, const std::vector<data::Example>& rows,
                           const EnsembleOptions& options, const OofReport& report, const PredictOptions& predict = {});

}  // namespace foldbench::ensemble
