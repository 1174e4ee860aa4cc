#pragma once
// One tokenizer per test process, trained on the generated sample sentences plus a few
// extra words the encoder tests use.
#include <memory>

#include "foldbench/data/sample_generator.h"
#include "foldbench/text/tokenizer.h"
#include "temp_dir.h"

namespace foldbench::testing {

inline const text::Tokenizer& sampleTokenizer() {
  static TempDir dir;
  static std::unique_ptr<text::Tokenizer> tokenizer = [] {
    std::vector<std::string> sentences;
    for (const auto& r : data::generateSample().train.rows) sentences.push_back(r.sentence);
    sentences.push_back("서울에 사는 김민수는 한빛전자에 다닌다.");
    text::TokenizerTrainOptions options;
    options.vocabSize = 400;
    options.characterCoverage = 1.0;
    return std::make_unique<text::Tokenizer>(text::Tokenizer::train(sentences, options, dir.file("sample")));
  }();
  return *tokenizer;
}

}  // namespace foldbench::testing
