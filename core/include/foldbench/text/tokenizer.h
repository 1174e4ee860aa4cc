#pragma once
// Subword tokenizer on top of sentencepiece, reached only through the spm plugin.
#include <atomic>
#include <stdexcept>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace foldbench::text {

struct TokenizerTrainOptions {
  std::string modelType = "unigram";  // "unigram" or "bpe"
  int vocabSize = 8000;               // Korean needs well above 2,000 (its alphabet alone is ~2,000)
  double characterCoverage = 0.9995;
  int threads = 2;
};

class TokenizerTrainingCancelled : public std::runtime_error {
 public:
  TokenizerTrainingCancelled();
};

class Tokenizer {
 public:
  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;

  // Loads an existing sentencepiece .model file (one trained here or a pretrained model's).
  static Tokenizer load(const std::string& modelPath);
  // Trains a model on `sentences` and writes `<modelPrefix>.model` and `.vocab`; returns it loaded.
  // Trains in a helper process (sentencepiece's trainer cannot run next to LibTorch). Raising
  // `cancel` ends the helper and throws TokenizerTrainingCancelled.
  static Tokenizer train(const std::vector<std::string>& sentences, const TokenizerTrainOptions& options,
                         const std::string& modelPrefix, const std::atomic<bool>* cancel = nullptr);

  // Ids in Foldbench's vocabulary: special tokens first (special_tokens.h), pieces after.
  std::vector<std::int32_t> encode(std::string_view text) const;
  void encodeAppend(std::string_view text, std::vector<std::int32_t>& out) const;
  int vocabSize() const;
  std::string piece(int id) const;

  // The sentencepiece model's own piece ids, without Foldbench's special tokens (pretrained models
  // number the pieces their own way, e.g. XLM-R's fairseq offset).
  std::vector<std::int32_t> encodePieceIds(std::string_view text) const;
  int pieceCount() const { return pieceCount_; }
  int unkPieceId() const { return unkPiece_; }
  // The piece of a sentencepiece id; throws std::out_of_range outside [0, pieceCount()).
  std::string pieceText(int pieceId) const;
  // Content hash of the model file, used to key encoding caches.
  std::uint64_t fingerprint() const { return fingerprint_; }
  const std::string& modelPath() const { return modelPath_; }

 // The dlopen'ed plugin's function table (defined in tokenizer.cpp).
  struct Plugin;

 private:
  Tokenizer(const Plugin* plugin, void* processor, std::string modelPath, std::uint64_t fingerprint);

  const Plugin* plugin_;
  void* processor_;
  std::string modelPath_;
  std::uint64_t fingerprint_;
  int pieceCount_ = 0;
  int unkPiece_ = 0;
};

// Path of the spm plugin library that will be loaded (for diagnostics).
std::string spmPluginPath();

}  // namespace foldbench::text
