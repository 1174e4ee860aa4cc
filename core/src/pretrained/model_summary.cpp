#include "foldbench/pretrained/model_summary.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>

#include "foldbench/platform/atomic_file.h"

namespace foldbench::pretrained {
namespace {

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* pattern, ...) {
  char text[512];
  va_list args;
  va_start(args, pattern);
  std::vsnprintf(text, sizeof text, pattern, args);
  va_end(args);
  return text;
}

// "110.6 M" for a parameter count, "32.6 K" for a small one.
std::string shortCount(std::uint64_t count) {
  return count >= 1'000'000 ? format("%.1f M", static_cast<double>(count) / 1e6)
                            : format("%.1f K", static_cast<double>(count) / 1e3);
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

ModelSummary summarizeModel(const ModelFolder& model, const PretrainedTokenizer& tokenizer) {
  const auto& c = model.config;
  ModelSummary s;
  s.facts.push_back({"model", format("%s, %" PRId64 " layers x %" PRId64 " hidden, %" PRId64 " heads, feed-forward %" PRId64 ", %s",
                                     modelTypeName(c.modelType), c.numHiddenLayers, c.hiddenSize, c.numAttentionHeads,
                                     c.intermediateSize, c.hiddenAct == Activation::Gelu ? "gelu (erf)" : "gelu_new (tanh)")});
  if (c.embeddingSize != c.hiddenSize)
    s.facts.push_back({"embeddings", format("%" PRId64 " wide, projected to %" PRId64, c.embeddingSize, c.hiddenSize)});
  s.facts.push_back({"parameters", shortCount(model.parameterCount) + format(" (%" PRIu64 ")", model.parameterCount) +
                                       (model.names.hasPooler ? ", pooler included" : ", no pooler")});
  const auto files = model.weights.files().size();
  s.facts.push_back({"weights", model.weights.source() + format(": %zu file%s, ", files, files == 1 ? "" : "s") +
                                    join(model.dtypes, "/") + ", " +
                                    platform::formatMegabytes(static_cast<std::int64_t>(model.weightBytes))});
  s.facts.push_back({"vocabulary", format("%" PRId64 " ids in the model, %" PRId64 " in the tokenizer", c.vocabSize,
                                          tokenizer.vocabSize())});
  s.facts.push_back({"tokenizer", tokenizer.kind() + format(", pad id %" PRId64, tokenizer.padId())});
  s.facts.push_back({"max tokens", format("%" PRId64 " per text (max_position_embeddings %" PRId64 ")", maxTokens(c),
                                          c.maxPositionEmbeddings)});
  s.facts.push_back({"token types", format("%" PRId64 "%s", c.typeVocabSize,
                                           c.typeVocabSize == 1 ? " (a pair's second text is embedded as type 0)" : "")});
  s.facts.push_back({"ignored", model.names.ignored.empty() ? "(none)" : join(model.names.ignored, ", ")});
  if (!c.defaulted.empty())
    s.facts.push_back({"defaulted", join(c.defaulted, ", ") + " (absent from config.json; Hugging Face's defaults used)"});
  if (tokenizer.vocabSize() > c.vocabSize)
    s.problem = format("the tokenizer has %" PRId64 " ids but config.json's vocab_size is %" PRId64
                       ": ids past it cannot be embedded",
                       tokenizer.vocabSize(), c.vocabSize);
  return s;
}

ModelSummary summarizeModelFolder(const std::string& directory) {
  const auto model = openModelFolder(directory);
  const auto tokenizer = openPretrainedTokenizer(directory);
  return summarizeModel(model, *tokenizer);
}

}  // namespace foldbench::pretrained
