#include "model_commands.h"

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "foldbench/platform/atomic_file.h"
#include "foldbench/pretrained/encoder_runner.h"
#include "foldbench/pretrained/model_folder.h"
#include "foldbench/pretrained/model_summary.h"
#include "foldbench/pretrained/pretrained_tokenizer.h"
#include "foldbench/text/utf8.h"

namespace foldbench::cli {
namespace {

using namespace foldbench::pretrained;

std::string folderArgument(const Args& args, const char* verb) {
  if (args.positional().size() != 1)
    throw UsageError(std::string("model ") + verb + " takes one model folder (DIR), got " +
                     std::to_string(args.positional().size()));
  return args.positional().front();
}

int inspect(const Args& args) {
  args.allowOnly({"format"});
  const std::string format = args.value("format", "table");
  if (format != "table" && format != "json") throw UsageError("--format is table or json, not '" + format + "'");
  const std::string directory = folderArgument(args, "inspect");
  const ModelFolder model = openModelFolder(directory);
  const auto tokenizer = openPretrainedTokenizer(directory);
  const auto& c = model.config;
  const std::string mismatch = summarizeModel(model, *tokenizer).problem;
  if (format == "json") {
    nlohmann::ordered_json out = {
        {"folder", std::filesystem::absolute(directory).string()},
        {"model_type", modelTypeName(c.modelType)},
        {"parameters", model.parameterCount},
        {"weights", model.weights.source()},
        {"weight_files", model.weights.files().size()},
        {"weight_bytes", model.weightBytes},
        {"dtypes", model.dtypes},
        {"layers", c.numHiddenLayers},
        {"hidden_size", c.hiddenSize},
        {"attention_heads", c.numAttentionHeads},
        {"intermediate_size", c.intermediateSize},
        {"embedding_size", c.embeddingSize},
        {"hidden_act", c.hiddenAct == Activation::Gelu ? "gelu" : "gelu_new"},
        {"layer_norm_eps", c.layerNormEps},
        {"vocab_size", c.vocabSize},
        {"max_tokens", maxTokens(c)},
        {"type_vocab_size", c.typeVocabSize},
        {"pooler", model.names.hasPooler},
        {"tokenizer", tokenizer->kind()},
        {"tokenizer_vocab_size", tokenizer->vocabSize()},
        {"pad_id", tokenizer->padId()},
        {"ignored_tensors", model.names.ignored},
        {"defaulted_config_fields", c.defaulted},
    };
    if (!mismatch.empty()) out["problem"] = mismatch;
    std::printf("%s\n", out.dump(2).c_str());
    return mismatch.empty() ? 0 : 1;
  }
  std::printf("%-12s %s\n", "folder", directory.c_str());
  for (const auto& [label, value] : summarizeModel(model, *tokenizer).facts)
    std::printf("%-12s %s\n", label.c_str(), value.c_str());
  if (!mismatch.empty()) {
    std::fprintf(stderr, "foldbench-cli: error: %s\n", mismatch.c_str());
    return 1;
  }
  return 0;
}

// One text per line, UTF-8; a trailing \r (a file saved on Windows) is not part of the text.
std::vector<std::string> readLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto bad = text::findInvalidUtf8(line);
    if (bad != std::string::npos)
      throw std::runtime_error(path + ":" + std::to_string(lines.size() + 1) + ": invalid UTF-8 at byte " +
                               std::to_string(bad + 1) + " of the line");
    lines.push_back(line);
  }
  return lines;
}

int embed(const Args& args) {
  args.allowOnly({"input", "out", "ids", "force", "threads", "batch-size"});
  const std::string directory = folderArgument(args, "embed");
  const auto input = args.value("input");
  const auto out = args.value("out");
  if (!input || !out) throw UsageError("model embed needs --input FILE and --out FILE");
  if (std::filesystem::exists(*out) && !args.flag("force"))
    throw std::runtime_error(*out + " exists; pass --force to replace it");
  const int batchSize = args.intValue("batch-size", 32);
  if (batchSize < 1) throw UsageError("--batch-size must be at least 1");

  const auto lines = readLines(*input);
  const bool idsOnly = args.flag("ids");
  // Checks the folder as a whole (weights included) even for --ids: a wrong folder fails early.
  const ModelFolder model = openModelFolder(directory);
  const auto tokenizer = openPretrainedTokenizer(directory);
  const std::string mismatch = summarizeModel(model, *tokenizer).problem;
  if (!mismatch.empty()) throw std::runtime_error(directory + ": " + mismatch);
  const auto limit = static_cast<std::size_t>(maxTokens(model.config));
  std::vector<EncoderInput> texts;
  std::size_t truncated = 0;
  for (const auto& line : lines) {
    auto full = tokenizer->encode(line);
    if (full.ids.size() > limit) {
      ++truncated;
      full = tokenizer->encode(line, limit);
    }
    texts.push_back({std::move(full.ids), std::move(full.typeIds)});
  }
  if (truncated)
    std::fprintf(stderr, "%zu of %zu texts were longer than the model's %zu tokens and were truncated\n", truncated,
                 lines.size(), limit);

  std::ostringstream body;
  if (idsOnly) {
    for (const auto& text : texts) {
      for (std::size_t i = 0; i < text.ids.size(); ++i) body << (i ? "\t" : "") << text.ids[i];
      body << '\n';
    }
  } else {
    const EncoderRunner runner(directory, args.intValue("threads", 0));
    const bool terminal = isatty(STDERR_FILENO);
    const auto states = runner.firstTokenStates(texts, static_cast<std::size_t>(batchSize), [&](std::size_t done) {
      if (terminal) std::fprintf(stderr, "\rembedding: %zu of %zu texts", done, texts.size());
    });
    if (terminal) std::fprintf(stderr, "\n");
    char number[32];
    for (const auto& state : states) {
      for (std::size_t i = 0; i < state.size(); ++i) {
        std::snprintf(number, sizeof number, "%.9g", static_cast<double>(state[i]));
        body << (i ? "\t" : "") << number;
      }
      body << '\n';
    }
  }
  platform::writeFileAtomically(*out, body.str(), args.flag("force"));
  std::fprintf(stderr, "wrote %s: %zu lines (%s)\n", out->c_str(), texts.size(),
               idsOnly ? "token ids with specials" : "the first token's final hidden state");
  return 0;
}

}  // namespace

int modelCommand(const std::string& verb, const Args& args) {
  if (verb == "inspect") return inspect(args);
  if (verb == "embed") return embed(args);
  throw UsageError("unknown model command '" + verb + "'");
}

}  // namespace foldbench::cli
