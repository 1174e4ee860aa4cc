#pragma once
// Where a run stands, folded from its events: phase, fold k/K, epoch, step, examples/s and an
// ETA from the steps done so far over the run's total.
#include <chrono>
#include <optional>
#include <string>

#include "shared/live_event.h"

namespace foldbench::ui {

class RunProgress {
 public:
  using Clock = std::chrono::steady_clock;

  void reset(int epochsPerFold);
  void apply(const LiveEvent& event, Clock::time_point now = Clock::now());

  train::RunPhase phase() const { return phase_; }
  bool preparing() const { return phase_ < train::RunPhase::Training; }
  std::size_t phaseDone() const { return phaseDone_; }
  std::size_t phaseTotal() const { return phaseTotal_; }
  int foldsDone() const { return foldsDone_; }
  int folds() const { return folds_; }
  int currentFold() const { return currentFold_; }  // -1 before the first
  int epoch() const { return epoch_; }
  int epochs() const { return epochs_; }
  long foldStep() const { return foldStep_; }
  long stepsDone() const { return stepsBefore_ + foldStep_; }
  long totalSteps() const { return totalSteps_; }
  double examplesPerSecond() const { return examplesPerSecond_; }
  const std::string& device() const { return device_; }
  int threads() const { return threads_; }
  // Seconds left; nullopt until a step is done.
  std::optional<double> etaSeconds(Clock::time_point now = Clock::now()) const;
  // 0..1 over the whole run's steps.
  double fraction() const;

 private:
  train::RunPhase phase_ = train::RunPhase::Loading;
  std::size_t phaseDone_ = 0, phaseTotal_ = 0;
  int folds_ = 0, foldsDone_ = 0, currentFold_ = -1, epoch_ = 0, epochs_ = 0;
  long foldStep_ = 0, stepsBefore_ = 0, totalSteps_ = 0;
  double examplesPerSecond_ = 0.0;
  std::string device_;
  int threads_ = 0;
  Clock::time_point trainingStart_{};
};

std::string formatEta(double seconds);

}  // namespace foldbench::ui
