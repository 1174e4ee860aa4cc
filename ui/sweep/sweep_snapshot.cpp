#include "sweep/sweep_snapshot.h"

#include <QCoreApplication>

namespace foldbench::ui {

const tracker::TrialRecord* bestTrial(const SweepSnapshot& snapshot) {
  const tracker::TrialRecord* best = nullptr;
  for (const auto& t : snapshot.trials) {
    if (t.status != tracker::TrialStatus::Finished) continue;
    if (snapshot.folds > 0 && static_cast<int>(t.scores.size()) < snapshot.folds) continue;
    if (!best || t.mean > best->mean) best = &t;
  }
  return best;
}

QString trialStatusText(tracker::TrialStatus status) { return QString::fromLatin1(nameOf(status)); }

}  // namespace foldbench::ui
