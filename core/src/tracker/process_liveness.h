#pragma once
// Whether the process that recorded a run on this host still runs it. A heartbeat's age says
// nothing about a process that is paused (Ctrl+Z, a debugger, a suspended laptop); /proc does.
namespace foldbench::tracker {

enum class LocalProcess {
  Alive,    // running or paused, and started no later than the run it recorded
  Gone,     // no such process, a zombie, or a newer process that reuses the pid
  Unknown,  // /proc cannot tell (not mounted, or not Linux): fall back on the heartbeat
};

// `lastSeenAt`: the run's last heartbeat (seconds since the epoch); a process that started
// after it cannot be the one that wrote it.
LocalProcess localProcessState(int pid, double lastSeenAt);

}  // namespace foldbench::tracker
