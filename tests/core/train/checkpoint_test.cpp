// Checkpoints store n-gram tables as their changed rows plus the generator state that drew the
// rest; loading must give back the trained model bit for bit.
#include <gtest/gtest.h>

#include <filesystem>

#include "batch_builder.h"
#include "checkpoint.h"
#include "classifier.h"
#include "compact_tables.h"
#include "foldbench/data/sample_generator.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/train/batching.h"
#include "foldbench/train/fold_trainer.h"
#include "optimizer.h"
#include "probability_difference.h"
#include "sample_tokenizer.h"
#include "temp_dir.h"

namespace foldbench::train {
namespace {

// "ngram+context": the n-gram family with its fifth, context part.
config::ExperimentConfig configFor(const std::string& model) {
  config::ExperimentConfig c;
  const bool context = model == "ngram+context";
  const std::string family = context ? "ngram" : model;
  c.data.trainPath = "sample";
  c.input.format = text::InputFormat::EntityMarkers;
  c.input.maxLen = 48;
  c.model.family = enumFromString<config::ModelFamily>(family);
  c.model.ngramContext = context;
  c.model.layers = 1;
  c.model.hidden = 32;
  c.model.heads = 2;
  c.model.feedForward = 64;
  c.model.ngramBucketsLog2 = 14;
  c.model.ngramDim = 16;
  c.model.mlpHidden = 32;
  c.train.threads = 2;
  return c;
}

const data::SampleData& sample() {
  static const auto s = data::generateSample();
  return s;
}

std::vector<int> range(int from, int to) {
  std::vector<int> r;
  for (int i = from; i < to; ++i) r.push_back(i);
  return r;
}

// A model after a few optimizer steps on rows 0..127, as training leaves it.
struct TrainedModel {
  config::ExperimentConfig config;
  TrainingData data;
  std::shared_ptr<model::ClassifierModule> model;
  std::unique_ptr<TrainingOptimizer> optimizer;

  explicit TrainedModel(const std::string& family)
      : config(configFor(family)),
        data(kfold::encodeForRun(config, sample().train.rows, sample().labels, testing::sampleTokenizer().modelPath())) {
    torch::manual_seed(11);
    model = model::makeClassifier(config.model, data.vocabSize, data.numLabels, data.maxLen);
    optimizer = std::make_unique<TrainingOptimizer>(*model, model->sparseParameters(), 0.01);
    const BatchBuilder builder(data, config.model.family == config::ModelFamily::Ngram, false, torch::kCPU);
    optimizer->setLearningRate(1e-2);
    for (int b = 0; b < 8; ++b) {
      const auto batch = builder.build(range(16 * b, 16 * b + 16));
      torch::nn::functional::cross_entropy(model->forward(batch), batch.labels).backward();
      optimizer->step();
      optimizer->zeroGrad();
    }
    model->eval();
  }

  CheckpointState state() const {
    CheckpointState s;
    s.epoch = 1;
    s.numLabels = data.numLabels;
    s.vocabSize = data.vocabSize;
    s.maxLen = data.maxLen;
    s.configJson = config::toJson(config);
    return s;
  }

  // Probabilities of `m` over `rows`, batched and threaded as the run scores rows.
  std::vector<std::vector<float>> probabilities(model::ClassifierModule& m, const std::vector<int>& rows) const {
    torch::NoGradGuard noGrad;
    configureDevice(config.train);  // the thread count every scoring of the run uses
    m.eval();
    const BatchBuilder builder(data, config.model.family == config::ModelFamily::Ngram, false, torch::kCPU);
    std::vector<std::vector<float>> out(rows.size());
    for (const auto& batchRows : evaluationBatches(rows, data.lengths(), evaluationBatchSize(config.train))) {
      const auto probs = torch::softmax(m.forward(builder.build(batchRows)).to(torch::kFloat), 1).contiguous();
      for (std::size_t b = 0; b < batchRows.size(); ++b) {
        const float* p = probs[static_cast<long>(b)].data_ptr<float>();
        out[static_cast<std::size_t>(batchRows[b] - rows.front())].assign(p, p + probs.size(1));
      }
    }
    return out;
  }

  std::shared_ptr<model::ClassifierModule> reloaded(const std::string& path) const {
    auto fresh = model::makeClassifier(config.model, data.vocabSize, data.numLabels, data.maxLen, /*initialise=*/false);
    CheckpointReader(path).loadInto(*fresh, nullptr);
    return fresh;
  }
};

void expectSameParameters(model::ClassifierModule& a, model::ClassifierModule& b) {
  const auto left = a.named_parameters(), right = b.named_parameters();
  ASSERT_EQ(left.size(), right.size());
  for (const auto& p : left) EXPECT_TRUE(torch::equal(p.value(), right[p.key()])) << p.key();
}

class CheckpointExactness : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckpointExactness, ReloadedModelPredictsExactlyWhatTheTrainedOneDid) {
  TrainedModel trained(GetParam());
  testing::TempDir dir;
  saveCheckpoint(dir.file("best.pt"), *trained.model, trained.optimizer.get(), trained.state());
  auto loaded = trained.reloaded(dir.file("best.pt"));
  expectSameParameters(*trained.model, *loaded);
  const auto rows = range(200, 300);
  const auto expected = trained.probabilities(*trained.model, rows);
  EXPECT_EQ(trained.probabilities(*loaded, rows), expected);
  EXPECT_EQ(predictProbabilities(dir.file("best.pt"), trained.data, rows), expected);
}

INSTANTIATE_TEST_SUITE_P(EveryModel, CheckpointExactness, ::testing::Values("ngram", "ngram+context", "transformer"),
                         [](const auto& info) { return info.param == "ngram+context" ? std::string("ngram_context") : info.param; });

TEST(Checkpoint, NgramTablesKeepOnlyTheRowsTrainingChanged) {
  TrainedModel trained("ngram");
  testing::TempDir dir;
  saveCheckpoint(dir.file("compact.pt"), *trained.model, trained.optimizer.get(), trained.state());
  // The same model with its tables' origins forgotten is stored whole, as before compaction.
  const auto origins = trained.model->tableOrigins();
  trained.model->setTableOrigins({});
  saveCheckpoint(dir.file("whole.pt"), *trained.model, trained.optimizer.get(), trained.state());
  trained.model->setTableOrigins(origins);

  const auto compact = std::filesystem::file_size(dir.file("compact.pt"));
  const auto whole = std::filesystem::file_size(dir.file("whole.pt"));
  EXPECT_LT(compact * 3, whole) << compact << " vs " << whole << " bytes";
  auto fromWhole = trained.reloaded(dir.file("whole.pt"));
  EXPECT_TRUE(fromWhole->tableOrigins().empty());
  expectSameParameters(*trained.model, *fromWhole);
  // Loaded tables know their origins again, so saving the loaded model stays compact.
  auto fromCompact = trained.reloaded(dir.file("compact.pt"));
  ASSERT_EQ(fromCompact->tableOrigins().size(), 4u);
  saveCheckpoint(dir.file("again.pt"), *fromCompact, nullptr, trained.state());
  expectSameParameters(*trained.model, *trained.reloaded(dir.file("again.pt")));
}

TEST(Checkpoint, Fp16TablesHalveTheFileAndReloadToTheRoundedModelThatWasScored) {
  TrainedModel trained("ngram+context");
  testing::TempDir dir;
  saveCheckpoint(dir.file("fp32.pt"), *trained.model, nullptr, trained.state(), trained.optimizer.get());
  std::vector<torch::Tensor> fullPrecision;
  for (const auto& t : trained.model->sparseParameters()) fullPrecision.push_back(t.clone());
  const auto rows = range(200, 300);
  const auto fp32Probabilities = trained.probabilities(*trained.model, rows);
  std::vector<std::vector<float>> scored;
  {
    HalfRoundedTables rounded(trained.model->sparseParameters(), trained.optimizer->touchedRows());
    scored = trained.probabilities(*trained.model, rows);
    auto state = trained.state();
    state.halfTables = true;
    saveCheckpoint(dir.file("fp16.pt"), *trained.model, nullptr, state, trained.optimizer.get());
  }
  // Training goes on from the fp32 values.
  const auto tables = trained.model->sparseParameters();
  for (std::size_t i = 0; i < tables.size(); ++i) EXPECT_TRUE(torch::equal(tables[i], fullPrecision[i])) << i;

  const auto fp16Size = std::filesystem::file_size(dir.file("fp16.pt"));
  const auto fp32Size = std::filesystem::file_size(dir.file("fp32.pt"));
  // Each stored row also keeps its 8-byte index, and these rows are 16 wide: 0.63 here, 0.51 at
  // the presets' 128.
  EXPECT_LT(fp16Size * 10, fp32Size * 7) << fp16Size << " vs " << fp32Size << " bytes";
  EXPECT_EQ(predictProbabilities(dir.file("fp16.pt"), trained.data, rows), scored);
  EXPECT_NE(scored, fp32Probabilities) << "rounding to fp16 changed nothing: the test proves nothing";
  EXPECT_LT(testing::largestDifference(scored, fp32Probabilities), 1e-3);
}

TEST(Checkpoint, Fp16RowsOfTablesThatWereNotRoundedAreRefusedAtLoad) {
  TrainedModel trained("ngram");
  testing::TempDir dir;
  auto state = trained.state();
  state.halfTables = true;  // without HalfRoundedTables: the stored rows lose precision
  saveCheckpoint(dir.file("lossy.pt"), *trained.model, nullptr, state, trained.optimizer.get());
  try {
    trained.reloaded(dir.file("lossy.pt"));
    FAIL() << "a checkpoint that does not rebuild its tables was loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("did not rebuild"), std::string::npos) << e.what();
  }
}

TEST(Checkpoint, TheOptimizersChangedRowsGiveTheSameCheckpointWithoutComparing) {
  TrainedModel trained("ngram");
  testing::TempDir dir;
  saveCheckpoint(dir.file("compared.pt"), *trained.model, nullptr, trained.state());
  saveCheckpoint(dir.file("told.pt"), *trained.model, nullptr, trained.state(), trained.optimizer.get());
  // The same rows are stored either way.
  for (const auto* name : {"told.pt", "compared.pt"}) {
    torch::serialize::InputArchive archive, tables, table;
    archive.load_from(dir.file(name));
    archive.read("tables", tables);
    tables.read("table3", table);
    torch::Tensor rows;
    table.read("rows", rows);
    EXPECT_TRUE(torch::equal(rows, trained.model->sparseParameters()[3].ne(
                                       model::regenerate(trained.model->tableOrigins()[3], {16385, 16})).any(1).nonzero().squeeze(1)))
        << name;
  }
  expectSameParameters(*trained.model, *trained.reloaded(dir.file("told.pt")));
}

TEST(Checkpoint, AResumedNgramFoldEndsWithTheSameCompactCheckpoint) {
  auto c = configFor("ngram");
  c.train.epochs = 2;
  c.train.learningRate = 2e-2;
  const auto data = kfold::encodeForRun(c, sample().train.rows, sample().labels, testing::sampleTokenizer().modelPath());
  testing::TempDir dir;
  struct Quiet : TrainingObserver {} quiet;
  std::atomic<bool> never{false};
  FoldTrainer(c, data, 0, dir.file("straight.pt")).train(range(0, 300), {}, quiet, never);
  // Stopped after its first epoch (every epoch is checkpointed without validation), resumed.
  struct StopAfterEpoch : TrainingObserver {
    std::atomic<bool> cancel{false};
    void onEpoch(const EpochEvent&) override { cancel = true; }
  } stopper;
  ASSERT_EQ(FoldTrainer(c, data, 0, dir.file("resumed.pt")).train(range(0, 300), {}, stopper, stopper.cancel).status,
            FoldStatus::Stopped);
  const auto resumed = FoldTrainer(c, data, 0, dir.file("resumed.pt")).resume(dir.file("resumed.pt"), range(0, 300), {}, quiet, never);
  ASSERT_EQ(resumed.status, FoldStatus::Finished) << resumed.error;
  EXPECT_EQ(predictProbabilities(dir.file("resumed.pt"), data, range(300, 400)),
            predictProbabilities(dir.file("straight.pt"), data, range(300, 400)));
}

TEST(Checkpoint, CompactOptimizerStateResumesTheSameSteps) {
  TrainedModel trained("ngram");
  testing::TempDir dir;
  saveCheckpoint(dir.file("best.pt"), *trained.model, trained.optimizer.get(), trained.state());
  auto loaded = trained.reloaded(dir.file("best.pt"));
  TrainingOptimizer optimizer(*loaded, loaded->sparseParameters(), 0.01);
  CheckpointReader(dir.file("best.pt")).loadInto(*loaded, &optimizer);
  optimizer.attach();
  // One more identical step on both: the moments restored from changed rows must match.
  const BatchBuilder builder(trained.data, true, false, torch::kCPU);
  const auto batch = builder.build(range(128, 160));
  const auto step = [&](model::ClassifierModule& m, TrainingOptimizer& o) {
    m.train();
    torch::manual_seed(5);
    torch::nn::functional::cross_entropy(m.forward(batch), batch.labels).backward();
    o.setLearningRate(1e-2);
    o.step();
    o.zeroGrad();
  };
  step(*trained.model, *trained.optimizer);
  step(*loaded, optimizer);
  expectSameParameters(*trained.model, *loaded);
}

TEST(Checkpoint, TableThatDoesNotRebuildToTheSavedValuesIsRefused) {
  torch::manual_seed(3);
  auto table = torch::empty({64, 4});
  const auto origin = model::fillRandomNormal(table, 0.1);
  table.narrow(0, 5, 2).add_(1.0);
  torch::manual_seed(4);
  auto other = torch::empty({64, 4});
  const auto otherOrigin = model::fillRandomNormal(other, 0.1);

  // As written by a machine whose generator drew `table`'s rows, read by one that draws others.
  torch::serialize::OutputArchive entry, archive;
  writeChangedRows(entry, table, model::regenerate(origin, table.sizes()));
  entry.write("generator", otherOrigin.generatorState);
  entry.write("std", torch::tensor(0.1, torch::kDouble));
  entry.write("digest", torch::tensor(static_cast<std::int64_t>(model::contentDigest(table))));
  archive.write("table0", entry);
  testing::TempDir dir;
  archive.save_to(dir.file("t.pt"));
  torch::serialize::InputArchive in;
  in.load_from(dir.file("t.pt"));
  std::vector<torch::Tensor> into{torch::empty({64, 4})};
  try {
    readTables(in, into, "t.pt");
    FAIL() << "a table that rebuilds differently was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("did not rebuild"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("t.pt"), std::string::npos) << e.what();
  }
  // With the right generator state the same rows rebuild the table exactly.
  torch::serialize::OutputArchive good;
  writeTables(good, {table}, {origin});
  good.save_to(dir.file("good.pt"));
  torch::serialize::InputArchive goodIn;
  goodIn.load_from(dir.file("good.pt"));
  readTables(goodIn, into, "good.pt");
  EXPECT_TRUE(torch::equal(into[0], table));
}

TEST(Checkpoint, RegeneratingLeavesTheDefaultGeneratorAlone) {
  torch::manual_seed(9);
  auto table = torch::empty({32, 8});
  const auto origin = model::fillRandomNormal(table, 0.1);
  const auto next = torch::randn({4});
  torch::manual_seed(9);
  torch::empty({32, 8}).normal_(0.0, 0.1);
  (void)model::regenerate(origin, {32, 8});
  EXPECT_TRUE(torch::equal(torch::randn({4}), next));
  EXPECT_TRUE(torch::equal(model::regenerate(origin, {32, 8}), table));
}

}  // namespace
}  // namespace foldbench::train
