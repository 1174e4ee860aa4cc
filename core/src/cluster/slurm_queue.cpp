#include "foldbench/cluster/slurm_queue.h"

#include <sys/wait.h>

#include <cstdio>

#include "foldbench/cluster/slurm_scripts.h"

namespace foldbench::cluster {

std::string jobNames(const std::string& runId) { return "foldbench-" + runId + ",foldbench-" + runId + "-merge"; }

std::optional<std::vector<std::string>> queuedJobs(const std::string& runId) {
  const std::string command = "squeue -h -o '%i %j %T' -n " + shellQuote(jobNames(runId)) + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::vector<std::string> jobs;
  std::string line;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) {
    line += buffer;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      if (!line.empty()) jobs.push_back(line);
      line.clear();
    }
  }
  if (!line.empty()) jobs.push_back(line);
  const int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return jobs;
}

}  // namespace foldbench::cluster
