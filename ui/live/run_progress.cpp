#include "live/run_progress.h"

#include <cmath>
#include <cstdio>

namespace foldbench::ui {

void RunProgress::reset(int epochsPerFold) {
  *this = RunProgress();
  epochs_ = epochsPerFold;
}

void RunProgress::apply(const LiveEvent& event, Clock::time_point now) {
  std::visit(Overloaded{
                 [&](const train::PhaseEvent& e) {
                   phase_ = e.phase;
                   phaseDone_ = e.done;
                   phaseTotal_ = e.total;
                 },
                 [&](const train::RunStartEvent& e) {
                   folds_ = e.folds;
                   totalSteps_ = e.totalSteps;
                   device_ = e.device;
                   threads_ = e.threads;
                   trainingStart_ = now;
                   phase_ = train::RunPhase::Training;
                 },
                 [&](const train::RunEndEvent&) { phase_ = train::RunPhase::Writing; },
                 [&](const FoldStartEvent& e) {
                   currentFold_ = e.fold;
                   epoch_ = 0;
                   foldStep_ = 0;
                 },
                 [&](const train::StepEvent& e) {
                   currentFold_ = e.fold;
                   epoch_ = e.epoch;
                   foldStep_ = e.step;
                   examplesPerSecond_ = e.examplesPerSecond;
                 },
                 [&](const train::EpochEvent& e) { epoch_ = e.epoch; },
                 [&](const FoldEndEvent& e) {
                   ++foldsDone_;
                   stepsBefore_ += e.steps;
                   foldStep_ = 0;
                 },
                 [&](const MessageEvent&) {},
             },
             event);
}

std::optional<double> RunProgress::etaSeconds(Clock::time_point now) const {
  const long done = stepsDone();
  if (done <= 0 || totalSteps_ <= 0 || trainingStart_ == Clock::time_point{}) return std::nullopt;
  const double elapsed = std::chrono::duration<double>(now - trainingStart_).count();
  return std::max(0.0, elapsed / static_cast<double>(done) * static_cast<double>(totalSteps_ - done));
}

double RunProgress::fraction() const {
  if (totalSteps_ <= 0) return 0.0;
  return std::min(1.0, static_cast<double>(stepsDone()) / static_cast<double>(totalSteps_));
}

std::string formatEta(double seconds) {
  const long s = std::lround(seconds);
  char text[32];
  if (s >= 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

}  // namespace foldbench::ui
