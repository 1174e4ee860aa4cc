#pragma once
// What the training thread hands to the window: plain copies of the observer's events.
// A fold's end carries its metrics, never its probability matrices.
#include <string>
#include <variant>
#include <vector>

#include "foldbench/train/observer.h"

namespace foldbench::ui {

struct FoldStartEvent {
  int fold = 0;
  std::size_t trainRows = 0, validationRows = 0;
};

struct FoldEndEvent {
  int fold = 0;
  train::FoldStatus status = train::FoldStatus::Finished;
  std::string error;
  int bestEpoch = 0;
  train::EvalMetrics best;
  double bestTrainAccuracy = 0.0;
  bool hasValidation = false;
  std::string checkpointPath;
  long steps = 0;
  double seconds = 0.0;
  double examplesPerSecond = 0.0;
};

struct MessageEvent {
  std::string text;
};

using LiveEvent = std::variant<train::PhaseEvent, train::RunStartEvent, train::RunEndEvent, FoldStartEvent,
                               train::StepEvent, train::EpochEvent, FoldEndEvent, MessageEvent>;
using LiveEvents = std::vector<LiveEvent>;

// Visits a LiveEvent with one lambda per kind: std::visit(Overloaded{[](const StepEvent&) {}, ...}, event).
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace foldbench::ui
