#pragma once
// The tokenizers of pretrained Hugging Face encoders, giving the very token ids Hugging Face gives for
// the same text. Three kinds, chosen by tokenizer_config.json's tokenizer_class, then by the files:
//   * WordPiece from vocab.txt, as the slow BertTokenizer runs it (BERT's basic tokenizer with NFC,
//     lower-casing and accent stripping as configured, greedy longest-match-first with ## pieces);
//   * XLM-R's sentencepiece.bpe.model, through Foldbench's sentencepiece plugin, with the fairseq ids
//     (<s>=0 <pad>=1 </s>=2 <unk>=3, piece i>0 -> i+1, <mask> = pieces+1);
//   * tokenizer.json (the fast-tokenizer format) with a WordPiece or Unigram model, as the tokenizers
//     library runs it; a component of another type is refused by name.
// Plain C++ types only: ICU, nlohmann_json and sentencepiece stay inside core/src/pretrained/tokenizer.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace foldbench::pretrained {

struct TokenizedText {
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> typeIds;  // 0 for the first text and its specials, 1 for a BERT pair's second
};

class PretrainedTokenizer {
 public:
  virtual ~PretrainedTokenizer();

  // Pieces only, no special tokens. Special tokens written in the text ("[SEP]", "<mask>") are kept
  // whole, as Hugging Face does. Invalid UTF-8 bytes are read as U+FFFD.
  virtual std::vector<std::int64_t> tokenize(std::string_view text) const = 0;
  // With special tokens as Hugging Face adds them: [CLS] a [SEP] / <s> a </s>. maxLength > 0 truncates
  // the pieces so that the result with its specials fits maxLength (a maxLength below the specials'
  // count is refused with PretrainedError).
  virtual TokenizedText encode(std::string_view text, std::size_t maxLength = 0) const = 0;
  // [CLS] a [SEP] b [SEP] (types 0.. 1..) / <s> a </s></s> b </s> (types 0). Truncation is longest
  // first: vocab.txt and sentencepiece tokenizers remove one piece at a time from the longer text (the
  // second on a tie), as the slow Python tokenizers do; tokenizer.json splits the budget as the
  // tokenizers library does (the shorter keeps its length; when both are long the first gets half,
  // rounded down).
  virtual TokenizedText encodePair(std::string_view a, std::string_view b, std::size_t maxLength = 0) const = 0;

  virtual std::int64_t vocabSize() const = 0;  // ids are in [0, vocabSize)
  virtual std::int64_t padId() const = 0;
  virtual std::int64_t unkId() const = 0;
  // "WordPiece (vocab.txt)", "XLM-R sentencepiece (sentencepiece.bpe.model)", "tokenizer.json Unigram", ...
  virtual std::string kind() const = 0;
  virtual std::string piece(std::int64_t id) const = 0;  // "" for an id no piece has
  // tokenizer_config.json's model_max_length when it is a real limit, else 0.
  virtual std::size_t modelMaxLength() const = 0;
};

// Chooses by tokenizer_config.json's tokenizer_class (BertTokenizer[Fast], ElectraTokenizer[Fast],
// DistilBertTokenizer[Fast], XLMRobertaTokenizer[Fast], PreTrainedTokenizerFast), not by the model type,
// then by the files present (a class's slow file first: vocab.txt or sentencepiece.bpe.model, then
// tokenizer.json); with no tokenizer_class, sentencepiece.bpe.model, then vocab.txt, then tokenizer.json. Refusals are PretrainedError (safetensors.h) naming the file and the field.
std::unique_ptr<PretrainedTokenizer> openPretrainedTokenizer(const std::string& folder);

// A tokenizer.json held in memory, without a tokenizer_config.json (tests, the fuzzer); `label` names
// it in refusals.
std::unique_ptr<PretrainedTokenizer> parseTokenizerJsonText(const std::string& text, const std::string& label);

}  // namespace foldbench::pretrained
