#include "foldbench/train/schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace foldbench::train {

long optimizerStepsPerEpoch(std::size_t trainRows, int batchSize, int gradAccumulation) {
  const auto batch = static_cast<std::size_t>(batchSize);
  const long batches = static_cast<long>((trainRows + batch - 1) / batch);
  return (batches + gradAccumulation - 1) / gradAccumulation;
}

long warmupStepsFor(double ratio, int explicitSteps, long totalSteps) {
  if (explicitSteps > 0) return explicitSteps;
  return static_cast<long>(std::ceil(ratio * static_cast<double>(totalSteps)));
}

double learningRateAt(const ScheduleSpec& s, long step) {
  constexpr double kPi = 3.14159265358979323846;
  if (step < s.warmupSteps) return s.peakLr * static_cast<double>(step + 1) / static_cast<double>(s.warmupSteps);
  const long after = step - s.warmupSteps;
  const long decaySteps = std::max(1L, s.totalSteps - s.warmupSteps);
  switch (s.kind) {
    case config::Scheduler::Constant:
      return s.peakLr;
    case config::Scheduler::Linear:
      return s.peakLr * std::max(0.0, static_cast<double>(decaySteps - after) / static_cast<double>(decaySteps));
    case config::Scheduler::Cosine: {
      const double progress = std::min(1.0, static_cast<double>(after) / static_cast<double>(decaySteps));
      return s.minLr + (s.peakLr - s.minLr) * 0.5 * (1.0 + std::cos(kPi * progress));
    }
    case config::Scheduler::CosineRestarts: {
      const long cycle = std::max(1L, static_cast<long>(s.restartEpochs) * s.stepsPerEpoch);
      const double t = static_cast<double>(after % cycle) / static_cast<double>(cycle);
      return s.minLr + (s.peakLr - s.minLr) * 0.5 * (1.0 + std::cos(kPi * t));
    }
    case config::Scheduler::Step: {
      const long interval = std::max(1L, static_cast<long>(s.stepEpochs) * s.stepsPerEpoch);
      return s.peakLr * std::pow(s.gamma, static_cast<double>(after / interval));
    }
  }
  throw std::invalid_argument("unknown scheduler");
}

}  // namespace foldbench::train
