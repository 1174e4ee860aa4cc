#include "process_liveness.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <string>

namespace foldbench::tracker {

namespace {

// Seconds since the epoch at which the machine booted ("btime" in /proc/stat), or -1.
double bootTime() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value) return value;
    in.ignore(1 << 20, '\n');
  }
  return -1;
}

}  // namespace

LocalProcess localProcessState(int pid, double lastSeenAt) {
  if (pid <= 0) return LocalProcess::Unknown;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) {
    // No /proc entry: the process is gone when kill() agrees, else /proc is just not there.
    if (::kill(pid, 0) == -1 && errno == ESRCH) return LocalProcess::Gone;
    return LocalProcess::Unknown;
  }
  std::string line;
  std::getline(in, line);
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return LocalProcess::Unknown;
  std::istringstream fields(line.substr(close + 1));
  std::string state;
  fields >> state;
  if (state == "Z" || state == "X" || state == "x") return LocalProcess::Gone;
  // Field 22 (starttime, in clock ticks since boot) follows the state (field 3) and 18 more.
  std::string field;
  for (int i = 0; i < 18 && fields >> field; ++i) {
  }
  unsigned long long startTicks = 0;
  const double boot = bootTime();
  const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
  if (!(fields >> startTicks) || boot < 0 || ticksPerSecond <= 0) return LocalProcess::Alive;
  const double startedAt = boot + static_cast<double>(startTicks) / static_cast<double>(ticksPerSecond);
  // btime is whole seconds and clocks drift a little: allow a few seconds either way.
  if (startedAt > lastSeenAt + 5.0) return LocalProcess::Gone;
  return LocalProcess::Alive;
}

}  // namespace foldbench::tracker
