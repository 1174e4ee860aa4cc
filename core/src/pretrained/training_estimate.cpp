#include "foldbench/pretrained/training_estimate.h"

namespace foldbench::pretrained {

double forwardFlops(const EncoderConfig& config, double tokens) {
  const double h = static_cast<double>(config.hiddenSize);
  const double f = static_cast<double>(config.intermediateSize);
  const double perTokenLayer = 2.0 * (4.0 * h * h + 2.0 * h * f) + 4.0 * tokens * h;
  return tokens * static_cast<double>(config.numHiddenLayers) * perTokenLayer;
}

double trainingFlopsPerRow(const EncoderConfig& config, double tokens) { return 3.0 * forwardFlops(config, tokens); }

double trainRowsPerFold(std::size_t rows, int folds, double valRatio) {
  const double n = static_cast<double>(rows);
  if (folds <= 1) return n * (1.0 - valRatio);
  return n * static_cast<double>(folds - 1) / static_cast<double>(folds);
}

double estimateEpochSeconds(const EncoderConfig& config, const EpochEstimateInput& input) {
  const double rate = input.sgemmGflops * 1e9 * input.efficiency;  // FLOP/s
  if (rate <= 0 || input.trainRows <= 0 || input.meanTokens <= 0) return 0.0;
  return input.trainRows * trainingFlopsPerRow(config, input.meanTokens) / rate;
}

}  // namespace foldbench::pretrained
