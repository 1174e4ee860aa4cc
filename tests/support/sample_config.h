#pragma once
// The `sample` preset pointed at the bundled sample files by absolute path, so tests can run
// from any working directory, writing runs under `outputDir`.
#include <string>

#include "foldbench/config/experiment_config.h"

namespace foldbench::testing {

inline config::ExperimentConfig sampleConfig(const std::string& outputDir) {
  auto c = config::preset("sample");
  const std::string sample = FOLDBENCH_SOURCE_DIR "/resources/sample/";
  c.data.trainPath = sample + "train.tsv";
  c.data.labelsPath = sample + "labels.tsv";
  c.data.testPath = sample + "test.tsv";
  c.run.outputDir = outputDir;
  c.train.threads = 2;
  return c;
}

}  // namespace foldbench::testing
