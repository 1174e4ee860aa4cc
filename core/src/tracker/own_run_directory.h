#pragma once
// Private: whose directory is it? Files are only ever deleted from a run's own directory.
#include <string>

#include "foldbench/tracker/records.h"

namespace foldbench::tracker {

// Throws StoreError (Refused) unless the run's directory is named after its uid and holds its
// summary.json, or, before a summary was written (a crashed or unmerged run), the config.json
// the tracker recorded for it: a record that arrived by import, or was crafted, may name any
// directory.
// `action` completes "refusing to <action> run <uid>".
void checkOwnRunDirectory(const RunInfo& info, const std::string& action);

}  // namespace foldbench::tracker
