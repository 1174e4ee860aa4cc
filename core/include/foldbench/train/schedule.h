#pragma once
// Learning-rate schedules as plain functions of the step, so they can be checked against
// their formulas and plotted without torch.
#include <cstddef>
#include <string>

#include "foldbench/config/choices.h"

namespace foldbench::train {

struct ScheduleSpec {
  config::Scheduler kind = config::Scheduler::Cosine;
  double peakLr = 5e-5;
  double minLr = 0.0;           // floor of cosine and cosine_restarts
  long warmupSteps = 0;         // linear warm-up from peakLr / warmupSteps to peakLr
  long totalSteps = 1;
  long stepsPerEpoch = 1;
  int restartEpochs = 1;        // cosine_restarts cycle length
  int stepEpochs = 1;           // step decay interval
  double gamma = 0.5;           // step decay factor
};

// Optimizer steps in one epoch over `trainRows` rows: batches, grouped by gradient accumulation
// (a last partial group still steps).
long optimizerStepsPerEpoch(std::size_t trainRows, int batchSize, int gradAccumulation);

// Warm-up steps from a ratio, or the explicit count when it is positive (the seed used both).
long warmupStepsFor(double ratio, int explicitSteps, long totalSteps);

// The learning rate used for optimizer step `step` (0-based).
double learningRateAt(const ScheduleSpec& spec, long step);

}  // namespace foldbench::train
