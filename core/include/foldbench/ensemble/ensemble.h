#pragma once
// Ensembles over the fold checkpoints of one or more runs: checked on out-of-fold predictions
// first, then applied to a test file. Each run encodes the test rows its own way.
#include <string>
#include <vector>

#include "foldbench/config/experiment_config.h"
#include "foldbench/data/example.h"
#include "foldbench/data/label_map.h"
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
  Probabilities oof;                    // their out-of-fold probabilities
};

// Reads summary.json, config.json, labels.tsv and oof.tsv of a run directory.
RunMembers loadRun(const std::string& runDir);

struct EnsembleOptions {
  Vote vote = Vote::Soft;
  std::string runWeights = "oof";  // with Vote::Weighted: "oof" (fitted) or "val" (mean validation accuracy)
  bool fitPrior = false;           // fit a constant for the no-relation class on out-of-fold data
  std::string noRelationLabel = "관계_없음";
};

struct MemberScore {
  std::string name;  // run uid
  double accuracy = 0.0, microF1 = 0.0;
};

struct OofReport {
  std::vector<MemberScore> members;
  MemberScore ensemble;
  std::vector<double> runWeights;
  double noRelationBias = 0.0;
  std::size_t rows = 0;  // rows every run has an out-of-fold prediction for
};

// Scores each run and the ensemble on the out-of-fold rows all runs share, and fits what the
// options ask to fit. Throws when the runs use different label maps or share no rows.
OofReport evaluateOutOfFold(const std::vector<RunMembers>& runs, const EnsembleOptions& options);

struct TestPrediction {
  Probabilities probabilities;  // combined
  std::vector<int> predicted;
  int members = 0;              // fold checkpoints used
};

// Predicts `rows` with every fold checkpoint of every run and combines them with the fitted report.
TestPrediction predictTest(const std::vector<RunMembers>& runs, const std::vector<data::Example>& rows,
                           const EnsembleOptions& options, const OofReport& report, int batchSize = 128);

}  // namespace foldbench::ensemble
