#pragma once
// The names a user may type in --filter, --sort and --columns, so that a misspelled one is an
// error with a suggestion instead of a silently empty column or an empty listing.
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

namespace foldbench::tracker {

class RunStore;

struct KnownNames {
  std::set<std::string> fields;  // "cv/val/acc/mean", "fold/0/val/acc", "sys/disk_bytes"
  std::set<std::string> params;  // "train.lr", without "params."
};

// What the store's runs hold, plus the fields every finished run records (so a filter on
// cv/val/acc/mean is not refused while the first run is still training).
KnownNames knownNames(const RunStore& store);

// The closest candidate by edit distance, when close enough to be a likely misspelling.
std::optional<std::string> closestName(const std::string& name, const std::set<std::string>& candidates);

class UnknownNameError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws UnknownNameError ("unknown field 'x' in --columns; did you mean 'y'?") unless `name`
// is a known field, "params.<known parameter>", or one of `extra` (columns such as "size").
void checkFieldName(const std::string& name, const KnownNames& known, const std::set<std::string>& extra,
                    const std::string& option);

// "; did you mean 'y'?" when a candidate is close to `name`, else "".
std::string didYouMean(const std::string& name, const std::set<std::string>& candidates);

// Every name checkFieldName accepts: the fields, "params."-prefixed parameters and `extra`.
std::set<std::string> fieldCandidates(const KnownNames& known, const std::set<std::string>& extra);
bool isKnownField(const std::string& name, const KnownNames& known, const std::set<std::string>& extra);

}  // namespace foldbench::tracker
