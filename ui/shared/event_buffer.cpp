#include "shared/event_buffer.h"

namespace foldbench::ui {

void EventBuffer::onFoldEnd(const train::FoldResult& r) {
  FoldEndEvent e;
  e.fold = r.fold;
  e.status = r.status;
  e.error = r.error;
  e.bestEpoch = r.bestEpoch;
  e.best = r.best;
  e.bestTrainAccuracy = r.bestTrainAccuracy;
  e.hasValidation = !r.validationRows.empty();
  e.checkpointPath = r.checkpointPath;
  e.steps = r.steps;
  e.seconds = r.seconds;
  e.examplesPerSecond = r.examplesPerSecond;
  push(std::move(e));
}

void EventBuffer::push(LiveEvent event) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_.push_back(std::move(event));
}

LiveEvents EventBuffer::drain() {
  LiveEvents out;
  std::lock_guard<std::mutex> lock(mutex_);
  out.swap(pending_);
  return out;
}

}  // namespace foldbench::ui
