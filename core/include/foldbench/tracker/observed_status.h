#pragma once
// The status a person should see for a run, which the stored one does not always say: a
// "running" run whose process is gone is crashed, and a queued cluster run whose fold tasks have
// started is running. Tasks write only inside the run folder (never the main tracker, which
// other hosts may be writing), so their start is read from there.
#include "foldbench/tracker/records.h"

namespace foldbench::tracker {

// Fold tasks of a cluster run that started since the run was last queued: fold-K.db files in
// its folder written since then.
int clusterTasksStarted(const RunInfo& info);

RunStatus observedStatus(const RunInfo& info, double now);

}  // namespace foldbench::tracker
