#pragma once
// Training progress for a terminal: a bar with ETA when stdout is a terminal, plain lines
// otherwise (logs, CI, clusters).
#include <chrono>
#include <cstdio>
#include <string>

#include "foldbench/train/observer.h"

namespace foldbench::cli {

class ProgressPrinter : public train::TrainingObserver {
 public:
  ProgressPrinter(int foldsToTrain, std::FILE* out = stdout);

  void onFoldStart(int fold, std::size_t trainRows, std::size_t validationRows) override;
  void onStep(const train::StepEvent& e) override;
  void onEpoch(const train::EpochEvent& e) override;
  void onFoldEnd(const train::FoldResult& r) override;
  void onMessage(const std::string& text) override;

 private:
  void endBar();
  std::FILE* out_;
  bool terminal_;
  bool barOpen_ = false;
  int foldsToTrain_;
  int foldsDone_ = 0;
  std::chrono::steady_clock::time_point runStart_, foldStart_;
};

std::string formatDuration(double seconds);

}  // namespace foldbench::cli
