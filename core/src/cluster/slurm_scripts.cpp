#include "foldbench/cluster/slurm_scripts.h"

#include "foldbench/cluster/slurm_queue.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace foldbench::cluster {

namespace fs = std::filesystem;

std::string shellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void checkRunFolder(const std::string& runFolder) {
  // The log paths sit in #SBATCH lines.
  if (runFolder.find_first_of(" \t\n") != std::string::npos)
    throw std::invalid_argument("the run folder " + runFolder +
                                " contains whitespace, which Slurm's #SBATCH lines cannot hold; choose another --out");
}

namespace {

// The value as the user would type it back: control characters shown as escapes.
std::string visible(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) out += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
    else out += static_cast<char>(c);
  }
  return out;
}

void checkValue(const std::string& option, const std::string& value, const std::regex& syntax, const char* expected) {
  if (!value.empty() && !std::regex_match(value, syntax))
    throw std::invalid_argument(option + " '" + visible(value) + "' is not in Slurm's syntax; expected " + expected);
}

}  // namespace

void checkSlurmValues(const SlurmOptions& o) {
  // Partition names as Slurm's own tools print them; a comma-separated list lets Slurm pick.
  static const std::regex partition(R"([A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*)");
  // sbatch --time: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, or no limit.
  static const std::regex time(R"(\d+(:\d+){0,2}|\d+-\d+(:\d+){0,2}|[Uu][Nn][Ll][Ii][Mm][Ii][Tt][Ee][Dd]|[Ii][Nn][Ff][Ii][Nn][Ii][Tt][Ee])");
  // sbatch --mem: a whole number with an optional K, M, G or T (megabytes without one).
  static const std::regex memory(R"(\d+[KMGTkmgt]?)");
  checkValue("--partition", o.partition, partition, "a name such as 'short' or a list such as 'gpu,short'");
  checkValue("--time", o.time, time, "minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S (e.g. '2:00:00', '1-12'), or UNLIMITED");
  checkValue("--mem", o.memory, memory, "a whole number with an optional K, M, G or T suffix (e.g. '16G', '8000')");
}

namespace {

// A path inside an #SBATCH --output/--error line: Slurm expands %j, %a, ... there, so a
// literal '%' (a folder named "100%") is written '%%'.
std::string slurmFilename(const std::string& path) {
  std::string out;
  for (char c : path) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

// The #SBATCH lines every job of the run shares.
void commonDirectives(std::ostringstream& s, const SlurmOptions& o) {
  if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << '\n';
  if (!o.time.empty()) s << "#SBATCH --time=" << o.time << '\n';
  s << "#SBATCH --ntasks=1\n";
}

}  // namespace

std::string sweepWorkersScript(const SlurmOptions& o, const std::string& sweep) {
  if (o.folds < 1) throw std::invalid_argument("a sweep needs at least one worker");
  if (o.cpus < 1) throw std::invalid_argument("--cpus must be at least 1");
  checkRunFolder(o.runDir);
  checkSlurmValues(o);
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# Workers of Foldbench sweep " << sweep << ", one array task each (foldbench-cli sweep run --slurm).\n"
    << "#SBATCH --job-name=foldbench-sweep\n"
    << "#SBATCH --array=0-" << (o.folds - 1) << '\n'
    << "#SBATCH --cpus-per-task=" << o.cpus << '\n';
  if (o.gpus > 0) s << "#SBATCH --gres=gpu:" << o.gpus << '\n';
  if (!o.memory.empty()) s << "#SBATCH --mem=" << o.memory << '\n';
  commonDirectives(s, o);
  s << "#SBATCH --output=" << slurmFilename(o.runDir) << "/worker-%a.log\n"
    << "export OMP_NUM_THREADS=" << o.cpus << '\n'
    << "exec " << shellQuote(o.cli) << " sweep run " << shellQuote(sweep) << " --workers 1 --threads " << o.cpus
    << " --db " << shellQuote(o.database) << '\n';
  return s.str();
}

SlurmScripts slurmScripts(const SlurmOptions& o) {
  if (o.folds < 1) throw std::invalid_argument("a Slurm array needs at least one fold");
  if (o.cpus < 1) throw std::invalid_argument("--cpus must be at least 1");
  checkRunFolder(o.runDir);
  checkSlurmValues(o);
  const std::string slurmDir = o.runDir + "/slurm";
  const std::string logDir = slurmFilename(slurmDir);
  SlurmScripts out;
  {
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# The folds of Foldbench run " << o.runId << ", one array task each (foldbench-cli cluster slurm).\n"
      << "#SBATCH --job-name=foldbench-" << o.runId << '\n'
      << "#SBATCH --array=0-" << (o.folds - 1) << '\n'
      << "#SBATCH --cpus-per-task=" << o.cpus << '\n';
    if (o.gpus > 0) s << "#SBATCH --gres=gpu:" << o.gpus << '\n';
    if (!o.memory.empty()) s << "#SBATCH --mem=" << o.memory << '\n';
    commonDirectives(s, o);
    s << "#SBATCH --output=" << logDir << "/fold-%a.log\n"
      << "# One OpenMP team of the task's size: more threads than cores slows training down.\n"
      << "export OMP_NUM_THREADS=" << o.cpus << '\n'
      << "exec " << shellQuote(o.cli) << " cluster fold --run " << shellQuote(o.runDir)
      << " --fold \"$SLURM_ARRAY_TASK_ID\" --db " << shellQuote(o.database) << '\n';
    out.folds = s.str();
  }
  {
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# Merges the folds of Foldbench run " << o.runId << " into the run and the tracker.\n"
      << "#SBATCH --job-name=foldbench-" << o.runId << "-merge\n"
      << "#SBATCH --cpus-per-task=1\n";
    commonDirectives(s, o);
    s << "#SBATCH --output=" << logDir << "/merge.log\n"
      << "exec " << shellQuote(o.cli) << " cluster merge --run " << shellQuote(o.runDir) << " --db "
      << shellQuote(o.database) << '\n';
    out.merge = s.str();
  }
  {
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# Submits the fold array of Foldbench run " << o.runId << " and its merge job. Run it again\n"
      << "# to resubmit: finished folds are kept, interrupted ones resume from their checkpoints.\n"
      << "set -euo pipefail\n"
      << "# A second array beside a first one still in the queue would train the same folds twice.\n"
      << "if [ -n \"$(squeue -h -o %i -n " << shellQuote(jobNames(o.runId))
      << ")\" ]; then\n"
      << "  echo \"jobs of run " << o.runId << " are still queued or running (squeue); wait for them or scancel them\" >&2\n"
      << "  exit 1\n"
      << "fi\n"
      << "# slurm/jobs names the submitted jobs: until it is written again, the run is being submitted\n"
      << "# and nothing settles it (cluster status, the Runs tab).\n"
      << "rm -f " << shellQuote(slurmDir + "/jobs") << '\n'
      << shellQuote(o.cli) << " cluster queue --run " << shellQuote(o.runDir) << " --db " << shellQuote(o.database)
      << '\n'
      << "folds=$(sbatch --parsable " << shellQuote(slurmDir + "/folds.sbatch") << ")\n"
      << "folds=${folds%%;*}\n"
      << "merge=$(sbatch --parsable --dependency=afterany:\"$folds\" " << shellQuote(slurmDir + "/merge.sbatch") << ")\n"
      << "echo \"$folds ${merge%%;*}\" > " << shellQuote(slurmDir + "/jobs") << '\n'
      << "echo \"folds_job=$folds\"\n"
      << "echo \"merge_job=${merge%%;*}\"\n";
    out.submit = s.str();
  }
  return out;
}

std::string writeSlurmScripts(const SlurmOptions& o) {
  const auto scripts = slurmScripts(o);
  const fs::path dir = fs::path(o.runDir) / "slurm";
  fs::create_directories(dir);
  const auto write = [&](const char* name, const std::string& text, bool executable) {
    const fs::path path = dir / name;
    std::ofstream out(path, std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
    if (executable)
      fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
    return path.string();
  };
  write("folds.sbatch", scripts.folds, false);
  write("merge.sbatch", scripts.merge, false);
  return write("submit.sh", scripts.submit, true);
}

}  // namespace foldbench::cluster
