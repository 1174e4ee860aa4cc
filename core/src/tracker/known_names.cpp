#include "foldbench/tracker/known_names.h"

#include <algorithm>
#include <vector>

#include "foldbench/tracker/run_store.h"

namespace foldbench::tracker {

KnownNames knownNames(const RunStore& store) {
  KnownNames known{store.fieldKeys(), store.paramKeys()};
  // What RunRecorder::finish and pruning write, known before any run has written them.
  for (const char* stat : {"train/acc", "val/acc", "val/micro_f1", "val/loss"})
    for (const char* part : {"/list", "/mean", "/std"}) known.fields.insert(std::string("cv/") + stat + part);
  for (const char* key : {"cv/oof/acc", "sys/seconds", "sys/device", "sys/blas", "sys/disk_bytes", "sys/pruned_bytes",
                          "sys/pruned_at", "data/rows", "data/repairs"})
    known.fields.insert(key);
  return known;
}

namespace {

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> closestName(const std::string& name, const std::set<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t bestDistance = std::max<std::size_t>(2, name.size() / 3) + 1;  // farther is no likely typo
  for (const auto& c : candidates) {
    const auto d = editDistance(name, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

std::string didYouMean(const std::string& name, const std::set<std::string>& candidates) {
  const auto near = closestName(name, candidates);
  return near ? "; did you mean '" + *near + "'?" : "";
}

std::set<std::string> fieldCandidates(const KnownNames& known, const std::set<std::string>& extra) {
  std::set<std::string> candidates = known.fields;
  candidates.insert(extra.begin(), extra.end());
  for (const auto& p : known.params) candidates.insert("params." + p);
  return candidates;
}

bool isKnownField(const std::string& name, const KnownNames& known, const std::set<std::string>& extra) {
  return extra.count(name) || known.fields.count(name) ||
         (name.rfind("params.", 0) == 0 && known.params.count(name.substr(7)));
}

void checkFieldName(const std::string& name, const KnownNames& known, const std::set<std::string>& extra,
                    const std::string& option) {
  if (isKnownField(name, known, extra)) return;
  throw UnknownNameError("unknown field '" + name + "' in " + option + didYouMean(name, fieldCandidates(known, extra)));
}

}  // namespace foldbench::tracker
