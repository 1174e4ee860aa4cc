#include "unigram.h"

#include <algorithm>
#include <limits>
#include <map>

#include "foldbench/pretrained/safetensors.h"

namespace foldbench::pretrained::tokenizer {

struct UnigramModel::Node {
  std::map<char32_t, std::unique_ptr<Node>> children;
  std::int64_t id = -1;  // the piece ending here
};

UnigramModel::UnigramModel(std::vector<std::pair<std::u32string, double>> pieces, std::int64_t unkId, bool fuseUnk)
    : pieces_(std::move(pieces)), trie_(std::make_unique<Node>()), unkId_(unkId), fuseUnk_(fuseUnk) {
  double minimum = std::numeric_limits<double>::infinity();
  for (std::size_t id = 0; id < pieces_.size(); ++id) {
    const auto& [text, score] = pieces_[id];
    ids_[text] = static_cast<std::int64_t>(id);  // a repeated piece: the last id, as a map insert does
    Node* node = trie_.get();
    for (char32_t c : text) {
      auto& child = node->children[c];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
    node->id = static_cast<std::int64_t>(id);
    minimum = std::min(minimum, score);
  }
  unkScore_ = minimum - 10.0;
}

UnigramModel::~UnigramModel() = default;

void UnigramModel::tokenize(const std::u32string& word, std::vector<std::int64_t>& out) const {
  struct Best {
    double score = 0;
    std::size_t start = 0;
    std::int64_t id = -1;
    bool reached = false;
  };
  const std::size_t n = word.size();
  std::vector<Best> best(n + 1);
  best[0].reached = true;
  for (std::size_t start = 0; start < n; ++start) {
    const double base = best[start].score;
    bool single = false;
    const Node* node = trie_.get();
    for (std::size_t end = start; end < n; ++end) {
      auto it = node->children.find(word[end]);
      if (it == node->children.end()) break;
      node = it->second.get();
      if (node->id < 0) continue;
      // The piece's id is the one its text maps to (the last of repeated pieces).
      const std::int64_t id = ids_.at(pieces_[static_cast<std::size_t>(node->id)].first);
      const double score = base + pieces_[static_cast<std::size_t>(id)].second;
      Best& target = best[end + 1];
      if (!target.reached || score > target.score) target = {score, start, id, true};
      if (end == start) single = true;
    }
    if (!single) {
      if (unkId_ < 0) throw PretrainedError("tokenizer.json: a character has no piece and the Unigram model has no unk_id");
      const double score = base + unkScore_;
      Best& target = best[start + 1];
      if (!target.reached || score > target.score) target = {score, start, unkId_, true};
    }
  }
  // Back from the end; fused unknown runs become one token whose text no piece has, hence unk.
  std::vector<std::int64_t> reversed;
  std::size_t end = n;
  bool inUnknownRun = false;
  while (end > 0) {
    const Best& b = best[end];
    if (fuseUnk_ && unkId_ >= 0 && b.id == unkId_) {
      if (!inUnknownRun) reversed.push_back(unkId_);
      inUnknownRun = true;
    } else {
      reversed.push_back(b.id);
      inUnknownRun = false;
    }
    end = b.start;
  }
  out.insert(out.end(), reversed.rbegin(), reversed.rend());
}

}  // namespace foldbench::pretrained::tokenizer
