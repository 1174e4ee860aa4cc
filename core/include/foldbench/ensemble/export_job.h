#pragma once
// One ensemble export, as `foldbench-cli export` and the window's export dialog run it: load
// the runs (by directory or tracker id), check the ensemble out of fold, predict the test file
// (through each run's prediction cache), write the submission, record it in the tracker.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "foldbench/ensemble/ensemble.h"
#include "foldbench/ensemble/submission.h"

namespace foldbench::ensemble {

struct LoadedRuns {
  std::vector<RunMembers> runs;
  std::vector<std::int64_t> trackerIds;  // 0 where the tracker does not know the run
};

// `keys`: run directories, or ids / uids / uid prefixes in `database`.
LoadedRuns loadExportRuns(const std::vector<std::string>& keys, const std::string& database);

struct ExportRequest {
  EnsembleOptions options;
  std::string testPath;
  SubmissionFormat format = SubmissionFormat::Pstage;
  std::string outPath;
  std::string probabilitiesPath;  // optional
  bool overwrite = false;
  bool useCache = true;
  std::string database;  // where to record the export; nothing is recorded when it does not exist
};

// The ensemble scored against a test file whose every row has a label (a development
// holdout): the figure the out-of-fold check estimates.
struct LabelledTestScore {
  std::size_t rows = 0;
  double accuracy = 0.0;
  double microF1 = 0.0;  // without the no-relation label (KLUE)
};

struct ExportResult {
  OofReport report;
  TestPrediction prediction;
  std::optional<LabelledTestScore> testScore;  // when every test row is labelled
  std::size_t rows = 0;
  double predictSeconds = 0.0;
  std::string sha256;       // of the written submission
  std::string recordError;  // empty when recorded (or nothing to record into)
};

// Throws before any prediction when an output exists and `overwrite` is off; throws
// PredictionCancelled when `cancel` is raised (nothing is written then).
ExportResult runExport(const LoadedRuns& runs, const ExportRequest& request,
                       const std::function<void(int done, int total)>& progress = {},
                       const std::atomic<bool>* cancel = nullptr);

// A file name in `folder` that does not exist yet: <stem>-<yyyymmdd>-<n>.csv.
std::string freshSubmissionPath(const std::string& folder, const std::string& stem);

}  // namespace foldbench::ensemble
