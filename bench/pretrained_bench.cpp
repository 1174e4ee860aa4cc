// foldbench-bench-pretrained: a BERT-base-shaped model folder (12 layers x 768, feed-forward 3072,
// vocabulary 119,547, 512 positions: bert-base-multilingual-cased's shape, random F32 weights,
// about 711 MB) is generated in the temporary directory, then:
//  - load: openModelFolder (map + check every tensor) and the copy into the LibTorch encoder
//    (target: under 2 s for the whole);
//  - embed: tokenize and run `model embed`'s runner over the first 256 sentences of the
//    competition's train.tsv (the sample's when ../shared is absent), against the Python PyTorch
//    reference forward (scripts/pretrained_fixtures/bench_reference.py) on the same ids and batches,
//    when Debian's python3-torch is installed. Ratio > 1 means Foldbench is faster.
//  - fine-tune: forward, backward and an AdamW step of the encoder with an entity head on batches of
//    16 of those texts (the first as warm-up), against the same in plain PyTorch: examples/s and the
//    fraction of the machine's sgemm peak (FLOPs: 3x the forward's).
// The tokenizer is a character-level WordPiece vocabulary of the texts (see writeVocabulary); both
// sides get the same ids.
// Usage: build/bin/foldbench-bench-pretrained [TEXTS [TRAIN_BATCHES]]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <algorithm>

#include "foldbench/platform/blas_kernels.h"
#include "optimizer.h"
#include "pretrained_classifier.h"
#include "foldbench/pretrained/encoder_runner.h"
#include "foldbench/pretrained/pretrained_tokenizer.h"

namespace fs = std::filesystem;
using namespace foldbench;

namespace {

constexpr std::int64_t kVocab = 119547, kHidden = 768, kLayers = 12, kInner = 3072, kPositions = 512;

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

struct Tensor {
  std::string name;
  std::vector<std::int64_t> shape;
  enum { Random, Ones, Zeros } fill;
};

std::vector<Tensor> bertBaseTensors() {
  std::vector<Tensor> t = {{"embeddings.word_embeddings.weight", {kVocab, kHidden}, Tensor::Random},
                           {"embeddings.position_embeddings.weight", {kPositions, kHidden}, Tensor::Random},
                           {"embeddings.token_type_embeddings.weight", {2, kHidden}, Tensor::Random},
                           {"embeddings.LayerNorm.weight", {kHidden}, Tensor::Ones},
                           {"embeddings.LayerNorm.bias", {kHidden}, Tensor::Zeros}};
  for (int i = 0; i < kLayers; ++i) {
    const std::string p = "encoder.layer." + std::to_string(i) + ".";
    for (const char* part : {"attention.self.query", "attention.self.key", "attention.self.value",
                             "attention.output.dense"}) {
      t.push_back({p + part + ".weight", {kHidden, kHidden}, Tensor::Random});
      t.push_back({p + part + ".bias", {kHidden}, Tensor::Random});
    }
    t.push_back({p + "attention.output.LayerNorm.weight", {kHidden}, Tensor::Ones});
    t.push_back({p + "attention.output.LayerNorm.bias", {kHidden}, Tensor::Zeros});
    t.push_back({p + "intermediate.dense.weight", {kInner, kHidden}, Tensor::Random});
    t.push_back({p + "intermediate.dense.bias", {kInner}, Tensor::Random});
    t.push_back({p + "output.dense.weight", {kHidden, kInner}, Tensor::Random});
    t.push_back({p + "output.dense.bias", {kHidden}, Tensor::Random});
    t.push_back({p + "output.LayerNorm.weight", {kHidden}, Tensor::Ones});
    t.push_back({p + "output.LayerNorm.bias", {kHidden}, Tensor::Zeros});
  }
  t.push_back({"pooler.dense.weight", {kHidden, kHidden}, Tensor::Random});
  t.push_back({"pooler.dense.bias", {kHidden}, Tensor::Random});
  return t;
}

// Streams model.safetensors (names with the bert. prefix, as mBERT's checkpoint has them).
void writeModel(const fs::path& folder) {
  const auto tensors = bertBaseTensors();
  nlohmann::ordered_json header;
  std::uint64_t offset = 0;
  for (const auto& t : tensors) {
    std::uint64_t count = 1;
    for (auto d : t.shape) count *= static_cast<std::uint64_t>(d);
    header["bert." + t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + 4 * count}}};
    offset += 4 * count;
  }
  std::string text = header.dump();
  while (text.size() % 8) text += ' ';
  std::ofstream out(folder / "model.safetensors", std::ios::binary);
  const std::uint64_t length = text.size();
  out.write(reinterpret_cast<const char*>(&length), 8);
  out << text;
  std::mt19937 random(7);
  std::uniform_real_distribution<float> uniform(-0.04f, 0.04f);
  std::vector<float> buffer;
  for (const auto& t : tensors) {
    std::size_t count = 1;
    for (auto d : t.shape) count *= static_cast<std::size_t>(d);
    buffer.resize(count);
    for (auto& v : buffer) v = t.fill == Tensor::Random ? uniform(random) : t.fill == Tensor::Ones ? 1.0f : 0.0f;
    out.write(reinterpret_cast<const char*>(buffer.data()), static_cast<std::streamsize>(4 * count));
  }
  if (!out) throw std::runtime_error("cannot write " + (folder / "model.safetensors").string());
}

// A character-level WordPiece vocabulary of the texts (every character, alone and as ##piece): a
// Korean sentence then takes about as many tokens as it has characters, near mBERT's count.
void writeVocabulary(const fs::path& folder, const std::vector<std::string>& texts) {
  std::set<std::string> characters;
  for (const auto& text : texts)
    for (std::size_t i = 0; i < text.size();) {
      const auto c = static_cast<unsigned char>(text[i]);
      const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      if (c != ' ') characters.insert(text.substr(i, n));
      i += n;
    }
  std::ofstream out(folder / "vocab.txt");
  out << "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
  for (const auto& c : characters) out << c << "\n##" << c << "\n";
  std::ofstream(folder / "tokenizer_config.json")
      << R"({"tokenizer_class": "BertTokenizer", "do_lower_case": false, "model_max_length": 512})";
}

void writeFolder(const fs::path& folder, const std::vector<std::string>& texts) {
  fs::create_directories(folder);
  writeVocabulary(folder, texts);
  nlohmann::ordered_json config = {
      {"model_type", "bert"},          {"vocab_size", kVocab},           {"hidden_size", kHidden},
      {"num_hidden_layers", kLayers},  {"num_attention_heads", 12},      {"intermediate_size", kInner},
      {"hidden_act", "gelu"},          {"max_position_embeddings", kPositions}, {"type_vocab_size", 2},
      {"layer_norm_eps", 1e-12},       {"pad_token_id", 0}};
  std::ofstream(folder / "config.json") << config.dump(2);
  if (!fs::exists(folder / "model.safetensors")) writeModel(folder);
}

std::vector<std::string> sentences(std::size_t count) {
  std::string path = FOLDBENCH_SOURCE_DIR "/../shared/data/klue-re-pstage/train.tsv";
  if (!fs::exists(path)) {
    std::printf("the shared competition data is absent: using the sample's sentences\n");
    path = FOLDBENCH_SOURCE_DIR "/resources/sample/train.tsv";
  }
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (out.size() < count && std::getline(in, line)) {
    const auto a = line.find('\t');
    const auto b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string sentence = line.substr(a + 1, b - a - 1);
    if (sentence != "sentence") out.push_back(sentence);
  }
  return out;
}

// Multiply-adds x 2 of one forward pass over `tokens` tokens in sequences of `length`.
double forwardFlops(double tokens, double length) {
  const double perTokenLayer = 2.0 * (4.0 * kHidden * kHidden + 2.0 * kHidden * kInner) + 4.0 * length * kHidden;
  return tokens * kLayers * perTokenLayer;
}

constexpr int kTrainBatch = 16, kLabels = 30;

// Training batches of kTrainBatch texts drawn at random (the same for both sides).
std::vector<std::vector<int>> trainingBatches(std::size_t texts, int count) {
  std::mt19937 random(3);
  std::uniform_int_distribution<int> pick(0, static_cast<int>(texts) - 1);
  std::vector<std::vector<int>> batches(static_cast<std::size_t>(count));
  for (auto& batch : batches)
    for (int i = 0; i < kTrainBatch; ++i) batch.push_back(pick(random));
  return batches;
}

struct TrainTiming {
  double seconds = 0, flops = 0;
  int examples = 0;
};

TrainTiming fineTune(const std::string& folder, const std::vector<pretrained::EncoderInput>& inputs,
                     const std::vector<std::vector<int>>& batches) {
  config::ModelConfig c;
  c.family = config::ModelFamily::Pretrained;
  c.pretrainedPath = folder;
  c.pooling = config::Pooling::Entity;
  torch::manual_seed(1);
  model::PretrainedClassifier classifier(c, static_cast<int>(kVocab), kLabels, /*loadWeights=*/true);
  classifier.train();
  train::TrainingOptimizer optimizer(classifier, {}, 0.01);
  optimizer.setLearningRate(2e-5);
  TrainTiming timing;
  for (std::size_t number = 0; number < batches.size(); ++number) {
    const auto started = std::chrono::steady_clock::now();
    std::int64_t length = 0;
    for (int row : batches[number]) length = std::max<std::int64_t>(length, static_cast<std::int64_t>(inputs[static_cast<std::size_t>(row)].ids.size()));
    model::Batch batch;
    batch.ids = torch::zeros({kTrainBatch, length}, torch::kLong);
    batch.padding = torch::ones({kTrainBatch, length}, torch::kBool);
    for (int r = 0; r < kTrainBatch; ++r) {
      const auto& ids = inputs[static_cast<std::size_t>(batches[number][static_cast<std::size_t>(r)])].ids;
      for (std::size_t t = 0; t < ids.size(); ++t) {
        batch.ids[r][static_cast<std::int64_t>(t)] = ids[t];
        batch.padding[r][static_cast<std::int64_t>(t)] = false;
      }
    }
    batch.segments = torch::zeros_like(batch.ids);
    batch.subjectPos = torch::ones({kTrainBatch}, torch::kLong);
    batch.objectPos = torch::full({kTrainBatch}, 2, torch::kLong);
    batch.paddedTokens = kTrainBatch * length;
    batch.labels = torch::randint(0, kLabels, {kTrainBatch}, torch::kLong);
    const auto loss = torch::nn::functional::cross_entropy(classifier.forward(batch), batch.labels);
    loss.backward();
    optimizer.clipGradients(1.0);
    optimizer.step();
    optimizer.zeroGrad();
    if (number == 0) continue;  // warm-up
    timing.seconds += secondsSince(started);
    timing.examples += kTrainBatch;
    timing.flops += 3.0 * classifier.forwardFlops(batch);
  }
  return timing;
}

}  // namespace

int main(int argc, char** argv) {
  platform::chooseBlasKernels(argc, argv);  // may restart the process
  const std::size_t textCount = argc > 1 ? std::stoul(argv[1]) : 256;
  const fs::path folder = fs::temp_directory_path() / "foldbench-bench-bert-base";
  const auto texts = sentences(textCount);
  auto started = std::chrono::steady_clock::now();
  writeFolder(folder, texts);
  std::printf("model folder   %s (%.1f s to write or find)\n", folder.c_str(), secondsSince(started));

  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  started = std::chrono::steady_clock::now();
  const auto opened = pretrained::openModelFolder(folder.string());
  const double openSeconds = secondsSince(started);
  started = std::chrono::steady_clock::now();
  const pretrained::EncoderRunner runner(folder.string(), threads);
  const double loadSeconds = secondsSince(started);
  std::printf("load           open and check %.3f s, open + copy into the encoder %.2f s (%.0f MB; target < 2 s)\n",
              openSeconds, loadSeconds, static_cast<double>(opened.weightBytes) / 1e6);

  const auto tokenizer = pretrained::openPretrainedTokenizer(folder.string());
  started = std::chrono::steady_clock::now();
  std::vector<pretrained::EncoderInput> inputs;
  double tokens = 0, paddedFlops = 0;
  for (const auto& text : texts) {
    auto encoded = tokenizer->encode(text, static_cast<std::size_t>(pretrained::maxTokens(opened.config)));
    tokens += static_cast<double>(encoded.ids.size());
    inputs.push_back({std::move(encoded.ids), std::move(encoded.typeIds)});
  }
  const double tokenizeSeconds = secondsSince(started);
  started = std::chrono::steady_clock::now();
  runner.firstTokenStates(inputs, 32);
  const double embedSeconds = secondsSince(started);
  // The work the batches really do: each padded to its longest text after the length sort.
  std::vector<std::size_t> lengths;
  for (const auto& input : inputs) lengths.push_back(input.ids.size());
  std::sort(lengths.begin(), lengths.end());
  for (std::size_t b = 0; b < lengths.size(); b += 32) {
    const std::size_t end = std::min(lengths.size(), b + 32);
    const double length = static_cast<double>(lengths[end - 1]);
    paddedFlops += forwardFlops(length * static_cast<double>(end - b), length);
  }
  const double cxxRate = static_cast<double>(texts.size()) / (tokenizeSeconds + embedSeconds);
  const double peak = platform::measureSgemm(1024);
  std::printf("embed          %zu texts, %.1f tokens each on average, %d threads\n", texts.size(),
              tokens / static_cast<double>(texts.size()), threads);
  std::printf("  foldbench    %.2f s tokenize + %.2f s forward: %.1f texts/s, %.1f GFLOP/s = %.0f%% of sgemm 1024 "
              "(%.1f GFLOP/s)\n",
              tokenizeSeconds, embedSeconds, cxxRate, paddedFlops / embedSeconds / 1e9,
              100.0 * paddedFlops / embedSeconds / 1e9 / peak, peak);

  const fs::path ids = folder / "bench-ids.tsv";
  {
    std::ofstream out(ids);
    for (const auto& input : inputs) {
      for (std::size_t i = 0; i < input.ids.size(); ++i) out << (i ? "\t" : "") << input.ids[i];
      out << '\n';
    }
  }
  const int trainBatches = argc > 2 ? std::stoi(argv[2]) : 4;
  const auto batches = trainingBatches(inputs.size(), trainBatches + 1);
  const fs::path batchesFile = folder / "bench-batches.tsv";
  {
    std::ofstream out(batchesFile);
    for (const auto& batch : batches) {
      for (std::size_t i = 0; i < batch.size(); ++i) out << (i ? "\t" : "") << batch[i];
      out << '\n';
    }
  }
  const auto trained = fineTune(folder.string(), inputs, batches);
  const double cxxTrainRate = trained.examples / trained.seconds;
  std::printf("fine-tune      %d batches of %d after one warm-up, entity head, AdamW\n", trainBatches, kTrainBatch);
  std::printf("  foldbench    %.1f s: %.2f examples/s, %.1f GFLOP/s = %.0f%% of sgemm 1024\n", trained.seconds,
              cxxTrainRate, trained.flops / trained.seconds / 1e9, 100.0 * trained.flops / trained.seconds / 1e9 / peak);

  const std::string command = "/usr/bin/python3 " FOLDBENCH_SOURCE_DIR
                              "/scripts/pretrained_fixtures/bench_reference.py " +
                              folder.string() + " " + ids.string() + " 32 " + std::to_string(threads) + " " +
                              batchesFile.string() + " " + std::to_string(kLabels) + " 2>&1";
  if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0) {
    std::printf("  python       skipped: Debian's python3-torch is not installed (apt-get install python3-torch)\n");
    return 0;
  }
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    pclose(pipe);
  }
  try {
    const auto result = nlohmann::json::parse(output.substr(output.rfind('{')));
    const double pythonEmbed = result["embed_s"].get<double>();
    const double pythonRate = static_cast<double>(texts.size()) / pythonEmbed;
    std::printf("  python       torch %s, %.2f s forward (tokenizing not counted): %.1f texts/s; load %.2f s\n",
                result["torch"].get<std::string>().c_str(), pythonEmbed, pythonRate, result["load_s"].get<double>());
    std::printf("ratio          foldbench / python texts per second: %.2f (forward only: %.2f); goal >= 1\n",
                cxxRate / pythonRate, pythonEmbed / embedSeconds);
    const double pythonTrainRate = result["train_examples"].get<double>() / result["train_s"].get<double>();
    std::printf("  python       fine-tune %.1f s: %.2f examples/s\n", result["train_s"].get<double>(), pythonTrainRate);
    std::printf("ratio          foldbench / python fine-tuning examples per second: %.2f; goal >= 1\n",
                cxxTrainRate / pythonTrainRate);
  } catch (const std::exception&) {
    std::printf("  python       failed:\n%s\n", output.c_str());
    return 1;
  }
  return 0;
}
