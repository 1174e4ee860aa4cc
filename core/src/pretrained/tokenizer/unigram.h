#pragma once
// The Unigram model as the tokenizers library runs it: the best-scoring segmentation (Viterbi over the
// pieces' log-probabilities); where no single-character piece starts, an unknown node scored
// min(score) - 10; runs of unknown nodes fused into one unknown id.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace foldbench::pretrained::tokenizer {

class UnigramModel {
 public:
  // pieces[i] is id i; unkId < 0 when the model has none (an unknown character is then refused).
  UnigramModel(std::vector<std::pair<std::u32string, double>> pieces, std::int64_t unkId, bool fuseUnk);
  ~UnigramModel();
  void tokenize(const std::u32string& word, std::vector<std::int64_t>& out) const;
  std::size_t size() const { return pieces_.size(); }
  const std::u32string& piece(std::size_t id) const { return pieces_[id].first; }

 private:
  struct Node;
  std::vector<std::pair<std::u32string, double>> pieces_;
  std::unordered_map<std::u32string, std::int64_t> ids_;
  std::unique_ptr<Node> trie_;
  std::int64_t unkId_;
  bool fuseUnk_;
  double unkScore_ = 0;
};

}  // namespace foldbench::pretrained::tokenizer
