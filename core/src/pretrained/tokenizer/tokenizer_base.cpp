#include "tokenizer_base.h"

#include <algorithm>

#include "foldbench/pretrained/safetensors.h"
#include "unicode_text.h"

namespace foldbench::pretrained {

PretrainedTokenizer::~PretrainedTokenizer() = default;

namespace tokenizer {

std::vector<Segment> splitAddedTokens(std::u32string_view text, const std::vector<const AddedToken*>& tokens) {
  std::vector<Segment> pieces;
  std::size_t start = 0;
  std::size_t i = 0;
  bool startsText = true;
  while (i < text.size() && !tokens.empty()) {
    const AddedToken* best = nullptr;
    for (const AddedToken* t : tokens)
      if (!t->content.empty() && t->content.size() > (best ? best->content.size() : 0) &&
          text.compare(i, t->content.size(), t->content) == 0)
        best = t;
    if (!best) {
      ++i;
      continue;
    }
    pieces.push_back({std::u32string(text.substr(start, i - start)), nullptr, start == 0 && startsText});
    pieces.push_back({best->content, best, i == 0});
    i += best->content.size();
    start = i;
    startsText = false;
  }
  pieces.push_back({std::u32string(text.substr(start)), nullptr, start == 0});
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    if (!pieces[k].token) continue;
    if (pieces[k].token->lstrip && k > 0 && !pieces[k - 1].token) {
      auto& left = pieces[k - 1].text;
      while (!left.empty() && unicode::isPythonSpace(left.back())) left.pop_back();
    }
    if (pieces[k].token->rstrip && k + 1 < pieces.size() && !pieces[k + 1].token) {
      auto& right = pieces[k + 1].text;
      std::size_t n = 0;
      while (n < right.size() && unicode::isPythonSpace(right[n])) ++n;
      right.erase(0, n);
    }
  }
  std::vector<Segment> out;
  for (auto& p : pieces)
    if (p.token || !p.text.empty()) out.push_back(std::move(p));
  return out;
}

void truncateOneAtATime(std::vector<std::int64_t>& a, std::vector<std::int64_t>* b, std::size_t budget) {
  if (!b) {
    if (a.size() > budget) a.resize(budget);
    return;
  }
  while (a.size() + b->size() > budget) {
    if (a.size() > b->size()) a.pop_back();
    else b->pop_back();
  }
}

void truncateSplitBudget(std::vector<std::int64_t>& a, std::vector<std::int64_t>* b, std::size_t budget) {
  if (!b) {
    if (a.size() > budget) a.resize(budget);
    return;
  }
  if (a.size() + b->size() <= budget) return;
  std::size_t n1 = a.size();
  std::size_t n2 = b->size();
  const bool swap = n1 > n2;
  if (swap) std::swap(n1, n2);
  n2 = n1 > budget ? n1 : std::max(n1, budget - n1);
  if (n1 + n2 > budget) {
    n1 = budget / 2;
    n2 = n1 + budget % 2;
  }
  if (swap) std::swap(n1, n2);
  a.resize(std::min(a.size(), n1));
  b->resize(std::min(b->size(), n2));
}

TokenizedText TokenizerBase::encodeBoth(std::string_view textA, const std::string_view* textB,
                                        std::size_t maxLength) const {
  auto a = tokenize(textA);
  std::vector<std::int64_t> b;
  if (textB) b = tokenize(*textB);
  if (maxLength > 0) {
    const std::vector<std::int64_t> none;
    const std::size_t specials = withSpecials(none, textB ? &none : nullptr).ids.size();
    if (maxLength < specials)
      throw PretrainedError("maxLength " + std::to_string(maxLength) + " is shorter than the " +
                            std::to_string(specials) + " special tokens " + kind() + " adds");
    if (splitBudget_) truncateSplitBudget(a, textB ? &b : nullptr, maxLength - specials);
    else truncateOneAtATime(a, textB ? &b : nullptr, maxLength - specials);
  }
  return withSpecials(a, textB ? &b : nullptr);
}

TokenizedText TokenizerBase::encode(std::string_view text, std::size_t maxLength) const {
  return encodeBoth(text, nullptr, maxLength);
}

TokenizedText TokenizerBase::encodePair(std::string_view a, std::string_view b, std::size_t maxLength) const {
  return encodeBoth(a, &b, maxLength);
}

}  // namespace tokenizer
}  // namespace foldbench::pretrained
