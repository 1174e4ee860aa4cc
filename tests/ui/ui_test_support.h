#pragma once
// Shared set-up of the window tests: settings in a scratch place, and a short sample config.
#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>

#include "sample_config.h"

namespace foldbench::testing {

// Keeps the tests' QSettings apart from a user's and from each other's leftovers.
inline void isolateSettings() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("FoldbenchTests");
  QCoreApplication::setApplicationName("FoldbenchTests");
  QSettings().clear();
}

// The sample preset made small: 2 folds of a 1-layer model, a few epochs.
inline config::ExperimentConfig shortSampleConfig(const std::string& outputDir, int epochs = 3) {
  auto c = sampleConfig(outputDir);
  c.kfold.folds = 2;
  c.model.layers = 1;
  c.model.hidden = 64;
  c.model.feedForward = 128;
  c.train.epochs = epochs;
  c.train.logEverySteps = 2;
  return c;
}

}  // namespace foldbench::testing
