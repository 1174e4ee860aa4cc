// foldbench-bench-pretrained: a BERT-base-shaped model folder (12 layers x 768, feed-forward 3072,
// vocabulary 119,547, 512 positions: bert-base-multilingual-cased's shape, random F32 weights,
// about 711 MB) is generated in the temporary directory, then:
//  - load: openModelFolder (map + check every tensor) and the copy into the LibTorch encoder
//    (target: under 2 s for the whole);
//  - embed: tokenize and run `model embed`'s runner over the first 256 sentences of the
//    competition's train.tsv (the sample's when ../shared is absent), against the Python PyTorch
//    reference forward (scripts/pretrained_fixtures/bench_reference.py) on the same ids and batches,
//    when Debian's python3-torch is installed. Ratio > 1 means Foldbench is faster.
// The tokenizer is the bert-wordpiece fixture's: a small vocabulary, so texts run longer in tokens
// than mBERT's would; both sides get the same ids.
// Usage: build/bin/foldbench-bench-pretrained [TEXTS]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <algorithm>

#include "foldbench/platform/blas_kernels.h"
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

void writeFolder(const fs::path& folder) {
  fs::create_directories(folder);
  const fs::path tokenizer = fs::path(FOLDBENCH_SOURCE_DIR) / "tests/fixtures/pretrained/models/bert-wordpiece";
  for (const char* name : {"vocab.txt", "tokenizer_config.json", "special_tokens_map.json"})
    if (fs::exists(tokenizer / name)) fs::copy_file(tokenizer / name, folder / name, fs::copy_options::overwrite_existing);
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

}  // namespace

int main(int argc, char** argv) {
  platform::chooseBlasKernels(argc, argv);  // may restart the process
  const std::size_t textCount = argc > 1 ? std::stoul(argv[1]) : 256;
  const fs::path folder = fs::temp_directory_path() / "foldbench-bench-bert-base";
  auto started = std::chrono::steady_clock::now();
  writeFolder(folder);
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

  const auto texts = sentences(textCount);
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
  const std::string command = "/usr/bin/python3 " FOLDBENCH_SOURCE_DIR
                              "/scripts/pretrained_fixtures/bench_reference.py " +
                              folder.string() + " " + ids.string() + " 32 " + std::to_string(threads) + " 2>&1";
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
  } catch (const std::exception&) {
    std::printf("  python       failed:\n%s\n", output.c_str());
    return 1;
  }
  return 0;
}
