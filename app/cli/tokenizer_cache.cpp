#include "tokenizer_cache.h"

#include <cstdlib>
#include <filesystem>

#include "foldbench/text/encoding_cache.h"
#include "foldbench/text/hash.h"

namespace foldbench::cli {

namespace {
std::string cacheRoot() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/foldbench";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/foldbench";
  return ".foldbench-cache";
}
}  // namespace

text::Tokenizer cachedTokenizerFor(const data::Dataset& dataset, std::ostream& log) {
  text::TokenizerTrainOptions options;
  const std::string prefix = cacheRoot() + "/tokenizers/" + text::toHex(text::rowsFingerprint(dataset.rows)) + "-" +
                             options.modelType + std::to_string(options.vocabSize);
  if (std::filesystem::exists(prefix + ".model")) return text::Tokenizer::load(prefix + ".model");
  log << "training a " << options.modelType << " tokenizer (" << options.vocabSize << " pieces) on "
      << dataset.rows.size() << " sentences..." << std::endl;
  std::vector<std::string> sentences;
  for (const auto& r : dataset.rows) sentences.push_back(r.sentence);
  return text::Tokenizer::train(sentences, options, prefix);
}

}  // namespace foldbench::cli
