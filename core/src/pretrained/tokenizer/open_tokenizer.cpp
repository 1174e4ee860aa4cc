// openPretrainedTokenizer: the tokenizer_class decides, then the files present.
#include <filesystem>

#include "foldbench/pretrained/pretrained_tokenizer.h"
#include "foldbench/pretrained/safetensors.h"
#include "tokenizer_config.h"
#include "tokenizer_json.h"
#include "wordpiece_tokenizer.h"
#include "xlmr_sentencepiece.h"

namespace foldbench::pretrained {

namespace fs = std::filesystem;

std::unique_ptr<PretrainedTokenizer> openPretrainedTokenizer(const std::string& folder) {
  using namespace tokenizer;
  if (!fs::is_directory(folder)) throw PretrainedError(folder + ": not a folder");
  const TokenizerConfig config = TokenizerConfig::read(folder);
  const auto has = [&](const char* name) { return fs::exists(fs::path(folder) / name); };
  const bool vocabTxt = has("vocab.txt");
  const bool spm = has("sentencepiece.bpe.model");
  const bool tokenizerJson = has("tokenizer.json");
  const auto tokenizerClass = config.tokenizerClass();
  if (!tokenizerClass) {
    // Older folders (xlm-roberta-base, bert-base-uncased) name no class; their slow files come first,
    // as the classes below prefer them (xlm-roberta-base's tokenizer.json needs Precompiled).
    if (spm) return openXlmrSentencepiece(folder, config);
    if (vocabTxt) return openVocabTxtTokenizer(folder, config);
    if (tokenizerJson) return openTokenizerJson(folder, config);
    throw PretrainedError(folder + ": no tokenizer files (vocab.txt, sentencepiece.bpe.model or tokenizer.json)");
  }
  std::string base = *tokenizerClass;
  if (base.size() > 4 && base.compare(base.size() - 4, 4, "Fast") == 0) base.resize(base.size() - 4);
  const std::string field = config.path() + ": tokenizer_class " + *tokenizerClass;
  if (base == "BertTokenizer" || base == "ElectraTokenizer" || base == "DistilBertTokenizer") {
    if (vocabTxt) return openVocabTxtTokenizer(folder, config);
    if (tokenizerJson) return openTokenizerJson(folder, config);
    throw PretrainedError(field + " needs vocab.txt or tokenizer.json in " + folder + ", which has neither");
  }
  if (base == "XLMRobertaTokenizer") {
    if (spm) return openXlmrSentencepiece(folder, config);
    if (tokenizerJson) return openTokenizerJson(folder, config);
    throw PretrainedError(field + " needs sentencepiece.bpe.model or tokenizer.json in " + folder + ", which has neither");
  }
  if (*tokenizerClass == "PreTrainedTokenizerFast") {
    if (tokenizerJson) return openTokenizerJson(folder, config);
    throw PretrainedError(field + " needs tokenizer.json in " + folder);
  }
  throw PretrainedError(field + " is not supported (BertTokenizer, ElectraTokenizer, DistilBertTokenizer, "
                        "XLMRobertaTokenizer, their Fast forms, or PreTrainedTokenizerFast)");
}

}  // namespace foldbench::pretrained
