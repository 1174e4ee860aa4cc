#pragma once
// What the tracker stores, as plain values.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "foldbench/util/run_status.h"

namespace foldbench::tracker {

struct RunInfo {
  std::string uid;                 // the run id printed by `train` (run_id=...)
  std::string experiment = "default";
  std::string name;
  RunStatus status = RunStatus::Running;
  double createdAt = 0.0;          // seconds since the epoch
  double finishedAt = 0.0;
  double heartbeatAt = 0.0;
  std::string configJson;
  std::uint64_t seed = 0;
  std::string appVersion, torchVersion, host, device;
  int threads = 0;
  int pid = 0;
  std::string dataFingerprint;
  std::string runDir;
  std::string error;
};

// One point of a metric series. Names are namespaced: "fold/0/train/loss".
struct MetricPoint {
  std::string name;
  std::int64_t step = 0;
  int epoch = 0;
  double value = 0.0;
  double time = 0.0;
};

// A Neptune-style field: a number, a string, or a list stored as JSON text.
struct Field {
  std::string key;  // "cv/val/acc/mean", "fold/0/checkpoint"
  std::optional<double> number;
  std::string text;
};

struct FoldRecord {
  int fold = 0;
  std::string status;
  int bestEpoch = 0;
  double trainAccuracy = 0.0, validationAccuracy = 0.0, validationMicroF1 = 0.0, validationLoss = 0.0;
  std::string checkpoint;
  // A fold that never kept an epoch (stopped or failed in its first) has no checkpoint or scores.
  bool trained() const { return bestEpoch > 0; }
};

struct Artifact {
  std::string path;
  std::string kind;  // checkpoint | oof | config | summary | tokenizer | submission
  std::int64_t size = 0;
  std::string sha256;
};

// A whole series, column-wise: reading a million points should not build a million records.
struct Series {
  std::string name;
  std::vector<std::int64_t> steps;
  std::vector<int> epochs;
  std::vector<double> values;
  std::vector<double> times;
  std::size_t size() const { return steps.size(); }
};

struct SeriesSummary {
  std::string name;
  double last = 0.0, min = 0.0, max = 0.0, mean = 0.0;
  std::int64_t count = 0;
};

// A row of `runs list`: the run plus the requested field values.
struct RunRow {
  std::int64_t id = 0;
  RunInfo info;
  std::vector<std::string> tags;
  std::map<std::string, Field> fields;
  std::map<std::string, std::string> params;
};

struct RunDetail {
  std::int64_t id = 0;
  RunInfo info;
  std::vector<std::string> tags;
  std::vector<std::pair<double, std::string>> notes;
  std::vector<Field> fields;
  std::map<std::string, std::string> params;
  std::vector<FoldRecord> folds;
  std::vector<Artifact> artifacts;
  std::vector<SeriesSummary> series;
};

}  // namespace foldbench::tracker
