#pragma once
// Where a run stands, as the trainer reports it and the tracker stores it.
#include "foldbench/util/enum_names.h"

namespace foldbench {

// Queued: submitted to a cluster scheduler, no fold task started yet.
// Pruned: a sweep trial dropped by racing after some of its folds (sweep/racing.h).
enum class RunStatus { Queued, Running, Finished, Stopped, Failed, Crashed, Pruned };

template <>
struct EnumNames<RunStatus> {
  static const std::vector<std::pair<RunStatus, const char*>>& all() {
    static const std::vector<std::pair<RunStatus, const char*>> names = {{RunStatus::Queued, "queued"},
                                                                         {RunStatus::Running, "running"},
                                                                         {RunStatus::Finished, "finished"},
                                                                         {RunStatus::Stopped, "stopped"},
                                                                         {RunStatus::Failed, "failed"},
                                                                         {RunStatus::Crashed, "crashed"},
                                                                         {RunStatus::Pruned, "pruned"}};
    return names;
  }
};

}  // namespace foldbench
