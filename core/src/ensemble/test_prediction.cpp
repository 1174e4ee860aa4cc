#include <numeric>

#include "foldbench/ensemble/ensemble.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/train/fold_trainer.h"
#include "prediction_cache.h"

namespace foldbench::ensemble {

namespace {

// Soft or weighted combination of a run's folds: validation accuracy weights with Weighted.
std::vector<double> foldWeights(const RunMembers& run, Vote vote) {
  std::vector<double> w;
  for (const auto& f : run.folds) w.push_back(vote == Vote::Weighted ? std::max(1e-6, f.validationAccuracy) : 1.0);
  return w;
}

void checkCancel(const PredictOptions& p) {
  if (p.cancel && p.cancel->load()) throw PredictionCancelled();
}

}  // namespace

TestPrediction predictTest(const std::vector<RunMembers>& runs, const std::vector<data::Example>& rows,
                           const EnsembleOptions& options, const OofReport& report, const PredictOptions& predict) {
  checkSameLabelMaps(runs);
  if (predict.testSha256.size() != 0 && predict.testSha256.size() != 64)
    throw std::invalid_argument("the cache key must be a sha256 in hex");
  TestPrediction out;
  int total = 0, done = 0;
  for (const auto& run : runs) total += static_cast<int>(run.folds.size());
  const auto classes = static_cast<std::size_t>(runs[0].labels.size());
  std::vector<int> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<Probabilities> perRun;
  for (const auto& run : runs) {
    checkCancel(predict);
    std::vector<int> foldNumbers;
    for (const auto& f : run.folds) foldNumbers.push_back(f.fold);
    const std::string cache = predict.testSha256.empty() ? std::string() : cachePath(run.runDir, predict.testSha256);
    // A pruned run has no checkpoints left to digest: its cache is all there is.
    std::vector<std::string> digests;
    if (!cache.empty() && run.prunedNote.empty())
      for (const auto& f : run.folds) digests.push_back(checkpointDigest(f.checkpoint));
    auto cached = cache.empty() ? std::nullopt
                                : readCache(cache, predict.testSha256, foldNumbers, digests, rows.size(), classes);
    if (!cached && !run.prunedNote.empty())
      throw std::runtime_error("run " + run.uid + " was pruned (" + run.prunedNote +
                               "): it can still be browsed and compared, but it cannot predict a test file it had not "
                               "predicted before; train it again to predict with it");
    if (!cached) {
      const std::string tokenizer = kfold::runTokenizerPath(run.config, run.runDir);
      train::TrainingData inputs;
      try {
        inputs = kfold::encodeForRun(run.config, rows, run.labels, tokenizer, nullptr, predict.cancel);
      } catch (const kfold::RunCancelled&) {
        throw PredictionCancelled();
      }
      CachedFolds fresh;
      for (const auto& f : run.folds) {
        checkCancel(predict);
        fresh.folds.push_back(f.fold);
        if (!cache.empty()) fresh.checkpointDigests.push_back(digests.at(fresh.folds.size() - 1));
        fresh.probabilities.push_back(train::predictProbabilities(f.checkpoint, inputs, order, predict.batchSize));
        ++out.checkpointsLoaded;
        if (predict.progress) predict.progress(++done, total);
      }
      if (!cache.empty()) writeCache(cache, predict.testSha256, fresh);
      cached = std::move(fresh);
    } else {
      done += static_cast<int>(run.folds.size());
      if (predict.progress) predict.progress(done, total);
    }
    if (!cache.empty()) out.cacheFiles.push_back(cache);
    out.members += static_cast<int>(run.folds.size());
    perRun.push_back(softVote(cached->probabilities, foldWeights(run, options.vote)));
  }
  const int noRelation = runs[0].labels.idOf(options.noRelationLabel).value_or(-1);
  out.probabilities = softVote(perRun, options.vote == Vote::Hard ? std::vector<double>{} : report.runWeights);
  out.predicted = combineRuns(perRun, options, report.runWeights, report.noRelationBias, noRelation);
  return out;
}

}  // namespace foldbench::ensemble
