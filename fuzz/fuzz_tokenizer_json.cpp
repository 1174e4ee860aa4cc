// tokenizer.json files from strangers: the parser must refuse or accept any bytes cleanly, and an
// accepted tokenizer must tokenize any text into ids inside its vocabulary, with one type id per id,
// and respect a maxLength. The input is the file; after a NUL byte, the text to tokenize.
#include <cstring>
#include <string>

#include "foldbench/pretrained/pretrained_tokenizer.h"
#include "foldbench/pretrained/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foldbench::pretrained;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto split = input.find('\0');
  const std::string json = input.substr(0, split);
  const std::string text = split == std::string::npos ? "Café 한국어 漢字, ÅNGSTRÖM!  x" : input.substr(split + 1);
  std::unique_ptr<PretrainedTokenizer> tokenizer;
  try {
    tokenizer = parseTokenizerJsonText(json, "fuzz");
  } catch (const PretrainedError&) {
    return 0;
  }
  try {
    const auto check = [&](const TokenizedText& t, std::size_t maxLength) {
      if (t.ids.size() != t.typeIds.size()) __builtin_trap();
      if (maxLength > 0 && t.ids.size() > maxLength) __builtin_trap();
      for (auto id : t.ids)
        if (id < 0 || id >= tokenizer->vocabSize()) __builtin_trap();
    };
    for (auto id : tokenizer->tokenize(text))
      if (id < 0 || id >= tokenizer->vocabSize()) __builtin_trap();
    check(tokenizer->encode(text), 0);
    check(tokenizer->encodePair(text, text), 0);
    const std::size_t specials = tokenizer->encodePair("", "").ids.size();
    check(tokenizer->encodePair(text, text, specials + 3), specials + 3);
    tokenizer->piece(tokenizer->padId());
  } catch (const PretrainedError&) {
    // a Unigram model without unk_id meeting an unknown character, a regular expression that ran too long
  }
  return 0;
}
