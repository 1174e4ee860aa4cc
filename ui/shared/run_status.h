#pragma once
// How a run's status looks everywhere in the window: a coloured dot and a word. A run still
// marked "running" whose process is gone is shown as crashed (a read-only view cannot mark it).
#include <QColor>
#include <QIcon>
#include <QString>

#include "foldbench/tracker/records.h"

namespace foldbench::ui {

RunStatus displayedStatus(const tracker::RunInfo& info, double now);
// The status as the window writes it ("running", "crashed").
QString statusText(RunStatus status);
QColor statusColor(RunStatus status);
QIcon statusIcon(RunStatus status);
// "running 3 min", "4 min 10 s", "1 h 02 min"
QString formatDuration(double seconds);
// The run's wall time: until it finished, or until its last heartbeat while it runs.
// Seconds from creation to the end or the last heartbeat; negative when unknown (queued, or a
// cluster run still running), which formatDuration shows as empty.
double runDuration(const tracker::RunInfo& info);

}  // namespace foldbench::ui
