#pragma once
// The training thread's observer: copies each event into a buffer under a mutex and returns at
// once; the window drains the buffer on a timer, so a burst of steps costs one repaint.
#include <mutex>

#include "shared/live_event.h"

namespace foldbench::ui {

class EventBuffer : public train::TrainingObserver {
 public:
  void onPhase(const train::PhaseEvent& e) override { push(e); }
  void onRunStart(const train::RunStartEvent& e) override { push(e); }
  void onRunEnd(const train::RunEndEvent& e) override { push(e); }
  void onFoldStart(int fold, std::size_t trainRows, std::size_t validationRows) override {
    push(FoldStartEvent{fold, trainRows, validationRows});
  }
  void onStep(const train::StepEvent& e) override { push(e); }
  void onEpoch(const train::EpochEvent& e) override { push(e); }
  void onFoldEnd(const train::FoldResult& r) override;
  void onMessage(const std::string& text) override { push(MessageEvent{text}); }

  // Everything buffered since the last call, in order.
  LiveEvents drain();

 private:
  void push(LiveEvent event);
  std::mutex mutex_;
  LiveEvents pending_;
};

}  // namespace foldbench::ui
