#include "sweep_commands.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "foldbench/cluster/slurm_scripts.h"
#include "foldbench/ensemble/export_job.h"
#include "foldbench/platform/atomic_file.h"
#include "foldbench/sweep/racing.h"
#include "foldbench/sweep/sweep_runner.h"
#include "foldbench/util/numbers.h"
#include "progress_printer.h"
#include "table_printer.h"
#include "train_commands.h"

extern char** environ;

namespace foldbench::cli {

namespace {

namespace fs = std::filesystem;

std::atomic<bool> gSweepCancel{false};
extern "C" void onSweepInterrupt(int) { gSweepCancel.store(true); }

// "90" (seconds), "45m", "2h", "1h30m", "1d".
double parseDuration(const std::string& text) {
  double total = 0.0;
  std::string digits;
  for (char c : text) {
    if ((c >= '0' && c <= '9') || c == '.') {
      digits += c;
      continue;
    }
    const double unit = c == 's' ? 1 : c == 'm' ? 60 : c == 'h' ? 3600 : c == 'd' ? 86400 : 0;
    const auto value = util::parseDouble(digits);
    if (unit == 0 || !value) throw UsageError("--time takes a duration such as 90m, 2h or 1h30m, not '" + text + "'");
    total += *value * unit;
    digits.clear();
  }
  if (!digits.empty()) {
    const auto value = util::parseDouble(digits);
    if (!value) throw UsageError("--time takes a duration such as 90m, 2h or 1h30m, not '" + text + "'");
    total += *value;
  }
  if (total <= 0.0) throw UsageError("--time must be longer than 0");
  return total;
}

struct Loaded {
  tracker::SweepStore store;
  tracker::SweepRecord record;
  sweep::SweepSpec spec;
  config::ExperimentConfig base;
  std::vector<tracker::TrialRecord> trials;
};

Loaded load(const Args& args, const std::string& name, tracker::RunStore::Access access = tracker::RunStore::Access::ReadOnly) {
  const std::string db = trackerPath(args);
  auto store = tracker::SweepStore::open(db, access);
  auto record = store.findSweep(name);
  if (!record) {
    std::string known;
    for (const auto& s : store.listSweeps()) known += (known.empty() ? "" : ", ") + s.name;
    throw std::runtime_error("no sweep named '" + name + "' in " + db + (known.empty() ? " (it has none)" : " (it has: " + known + ")"));
  }
  auto spec = sweep::specFromJson(record->specJson);
  auto base = config::fromJson(record->baseConfigJson, "sweep " + name);
  auto trials = store.trials(record->id);
  return {std::move(store), *record, spec, base, std::move(trials)};
}

std::string meanText(const tracker::TrialRecord& t) {
  if (t.scores.empty()) return "";
  return formatNumber(t.mean) + " ± " + formatNumber(t.stddev);
}

std::string valueOf(const tracker::TrialRecord& t, const std::string& key) {
  for (const auto& [k, v] : t.params)
    if (k == key) return v;
  return "";
}

std::string paramsText(const sweep::ParamValues& params) {
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : ", ") + k + "=" + v;
  return out;
}

// A sweep's trials as they go: one line when a trial starts, one per fold, one at its end.
class SweepPrinter : public sweep::SweepObserver {
 public:
  explicit SweepPrinter(int folds) : folds_(folds) {}
  void onTrialStart(const tracker::TrialRecord& t) override {
    std::string order;
    for (int f : t.foldOrder) order += (order.empty() ? "" : ",") + std::to_string(f);
    std::printf("trial %d: %s (folds in order %s)\n", t.trial, paramsText(t.params).c_str(), order.c_str());
    std::fflush(stdout);
  }
  void onFoldEnd(const train::FoldResult& r) override {
    ++done_;
    std::printf("  fold %d: val acc %.4f, best epoch %d, %s (%d/%d)\n", r.fold, r.best.accuracy, r.bestEpoch,
                formatDuration(r.seconds).c_str(), done_, folds_);
    std::fflush(stdout);
  }
  void onTrialUpdate(const tracker::TrialRecord& t) override {
    if (t.status == tracker::TrialStatus::Running) return;
    done_ = 0;
    const std::string score = t.scores.empty() ? "" : ": " + meanText(t) + " over " + std::to_string(t.scores.size()) + " folds";
    std::printf("trial %d %s%s%s%s\n", t.trial, nameOf(t.status), score.c_str(), t.reason.empty() ? "" : "; ",
                t.reason.c_str());
    std::fflush(stdout);
  }
  void onMessage(const std::string& text) override {
    if (text.rfind("run ", 0) == 0) return;  // the run's folder: in `sweep status --format json`
    std::fprintf(stderr, "%s\n", text.c_str());
  }

 private:
  int folds_;
  int done_ = 0;
};

int createCommand(const std::string& name, const Args& args) {
  args.allowOnly({"config", "preset", "train", "labels", "out", "epochs", "threads", "db", "param", "trials", "time",
                  "sampler", "startup", "seed", "race", "alpha", "min-folds"});
  if (name.empty()) throw UsageError("sweep create needs a NAME");
  const auto base = configFrom(args);
  sweep::SweepSpec spec;
  for (const auto& text : args.values("param")) {
    try {
      spec.space.push_back(sweep::parseDimension(text));
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--param: ") + e.what());
    }
  }
  spec.maxTrials = args.intValue("trials", args.value("time") ? 0 : spec.maxTrials);
  if (auto t = args.value("time")) spec.maxSeconds = parseDuration(*t);
  try {
    spec.sampler = enumFromString<sweep::SamplerKind>(args.value("sampler", "tpe"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--sampler: ") + e.what());
  }
  try {
    spec.racing.test = enumFromString<sweep::RaceTest>(args.value("race", "t-test"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--race: ") + e.what());
  }
  spec.startupTrials = args.intValue("startup", spec.startupTrials);
  spec.seed = static_cast<std::uint64_t>(args.intValue("seed", static_cast<int>(spec.seed)));
  if (auto a = args.value("alpha")) {
    const auto alpha = util::parseDouble(*a);
    if (!alpha) throw UsageError("--alpha takes a number, not '" + *a + "'");
    spec.racing.alpha = *alpha;
  }
  spec.racing.minFolds = args.intValue("min-folds", spec.racing.minFolds);
  sweep::createSweep(trackerPath(args), name, spec, base);
  std::printf("sweep %s: %zu fields, %s sampler, %s, racing %s", name.c_str(), spec.space.size(), nameOf(spec.sampler),
              spec.maxTrials > 0 ? (std::to_string(spec.maxTrials) + " trials").c_str() : "no trial limit",
              nameOf(spec.racing.test));
  if (spec.racing.test != sweep::RaceTest::None) std::printf(" (alpha %s)", util::formatDouble(spec.racing.alpha).c_str());
  std::printf("\n");
  for (const auto& d : spec.space) std::printf("  %-28s %s\n", d.key.c_str(), sweep::describe(d).c_str());
  std::printf("run it with: foldbench-cli sweep run %s\n", name.c_str());
  return 0;
}

// Starts `count` more workers as child processes of this one (same tracker, same sweep).
std::vector<pid_t> spawnWorkers(int count, const std::string& name, const std::string& db, int threads) {
  std::vector<pid_t> children;
  for (int i = 0; i < count; ++i) {
    std::vector<std::string> words = {"foldbench-cli", "sweep", "run", name, "--workers", "1", "--db", db};
    if (threads > 0) words.insert(words.end(), {"--threads", std::to_string(threads)});
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0)
      throw std::runtime_error("cannot start another sweep worker");
    children.push_back(pid);
  }
  return children;
}

// sweep run NAME --slurm N: the workers as a job array on the cluster, claiming trials from the
// same tracker file (which every node must see).
int slurmWorkers(const std::string& name, const Args& args) {
  cluster::SlurmOptions o;
  o.cli = fs::canonical("/proc/self/exe").string();
  o.database = fs::absolute(trackerPath(args)).lexically_normal().string();
  o.runId = name;
  o.folds = args.intValue("slurm", 1);
  o.cpus = args.intValue("cpus", 1);
  o.gpus = args.intValue("gpus", 0);
  o.partition = args.value("partition", "");
  o.time = args.value("time", "");
  o.memory = args.value("mem", "");
  o.runDir = (fs::path(o.database).parent_path() / "sweeps" / name).string();
  std::string script;
  try {
    script = cluster::sweepWorkersScript(o, name);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  load(args, name);  // the sweep must exist before workers look for it
  fs::create_directories(o.runDir);
  const std::string path = o.runDir + "/workers.sbatch";
  platform::writeFileAtomically(path, script);
  std::printf("wrote %s: %d workers of %d cpus each, logs in %s\n", path.c_str(), o.folds, o.cpus, o.runDir.c_str());
  if (!args.flag("submit")) {
    std::printf("submit it with: sbatch %s\n", cluster::shellQuote(path).c_str());
    return 0;
  }
  return std::system(("sbatch " + cluster::shellQuote(path)).c_str()) == 0 ? 0 : 1;
}

int runCommand(const std::string& name, const Args& args) {
  args.allowOnly({"db", "workers", "threads", "slurm", "cpus", "gpus", "partition", "time", "mem", "submit"});
  if (name.empty()) throw UsageError("sweep run needs the sweep's NAME");
  if (args.value("slurm")) return slurmWorkers(name, args);
  for (const char* option : {"cpus", "gpus", "partition", "time", "mem"})
    if (args.value(option)) throw UsageError(std::string("--") + option + " is for Slurm workers: give --slurm N too");
  if (args.flag("submit")) throw UsageError("--submit is for Slurm workers: give --slurm N too");
  const int workers = args.intValue("workers", 1);
  if (workers < 1) throw UsageError("--workers must be at least 1");
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  // Workers share the cores: each trains with its share unless told otherwise.
  const int threads = args.intValue("threads", workers > 1 ? std::max(1, static_cast<int>(cores) / workers) : 0);
  const auto sweep = load(args, name);
  std::signal(SIGINT, onSweepInterrupt);
  std::signal(SIGTERM, onSweepInterrupt);
  const auto children = spawnWorkers(workers - 1, name, trackerPath(args), threads);
  SweepPrinter printer(sweep.base.kfold.folds);
  sweep::WorkerOptions options;
  options.databasePath = trackerPath(args);
  options.appVersion = FOLDBENCH_VERSION;
  options.threads = threads;
  const auto summary = sweep::runSweepWorker(name, printer, gSweepCancel, options);
  int childFailures = 0;
  for (pid_t child : children) {
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    childFailures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::printf("this worker: %d trials (%d finished, %d pruned, %d failed), %d fold trainings%s\n", summary.trials,
              summary.finished, summary.pruned, summary.failed, summary.foldTrainings,
              summary.stopped ? "; stopped: the trial in hand is pending again, 'sweep run' resumes" : "");
  if (childFailures) std::fprintf(stderr, "%d of the other workers ended with an error\n", childFailures);
  std::printf("see the trials with: foldbench-cli sweep status %s\n", name.c_str());
  return summary.stopped ? 130 : (childFailures || (summary.failed && !summary.finished && !summary.pruned)) ? 1 : 0;
}

nlohmann::ordered_json trialJson(const tracker::TrialRecord& t) {
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const auto& [k, v] : t.params) params[k] = v;
  nlohmann::ordered_json scores = nlohmann::ordered_json::array();
  for (const auto& s : t.scores) scores.push_back({{"fold", s.fold}, {"val_acc", s.accuracy}});
  return {{"trial", t.trial}, {"status", nameOf(t.status)}, {"params", params}, {"fold_order", t.foldOrder},
          {"scores", scores}, {"mean", t.scores.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(t.mean)},
          {"std", t.scores.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(t.stddev)},
          {"reason", t.reason}, {"run", t.runUid}, {"attempts", t.attempts}};
}

int foldTrainingsOf(const std::vector<tracker::TrialRecord>& trials) {
  int n = 0;
  for (const auto& t : trials) n += static_cast<int>(t.scores.size());
  return n;
}

int statusCommand(const std::string& name, const Args& args) {
  args.allowOnly({"db", "format"});
  if (name.empty()) throw UsageError("sweep status needs the sweep's NAME");
  const std::string format = args.value("format", "table");
  if (format != "table" && format != "json") throw UsageError("--format must be table or json");
  const auto s = load(args, name);
  const int folds = s.base.kfold.folds;
  const auto best = sweep::incumbentOf(s.trials, folds);
  int counts[5] = {0, 0, 0, 0, 0};
  for (const auto& t : s.trials) ++counts[static_cast<int>(t.status)];
  const int spent = foldTrainingsOf(s.trials);
  const int full = static_cast<int>(s.trials.size()) * folds;
  if (format == "json") {
    nlohmann::ordered_json trials = nlohmann::ordered_json::array();
    for (const auto& t : s.trials) trials.push_back(trialJson(t));
    const nlohmann::ordered_json out = {{"sweep", name},
                                        {"spec", nlohmann::json::parse(s.record.specJson)},
                                        {"folds", folds},
                                        {"fold_trainings", spent},
                                        {"fold_trainings_without_racing", full},
                                        {"best_trial", best ? nlohmann::ordered_json(best->trial) : nlohmann::ordered_json()},
                                        {"trials", trials}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::vector<std::string> header = {"trial", "status"};
  for (const auto& d : s.spec.space) header.push_back(d.key);
  for (const auto& h : {"folds", "val acc", "run", "reason"}) header.push_back(h);
  Table table(header);
  for (const auto& t : s.trials) {
    std::vector<std::string> row = {std::to_string(t.trial) + (best && best->trial == t.trial ? " *" : ""), nameOf(t.status)};
    for (const auto& d : s.spec.space) row.push_back(valueOf(t, d.key));
    row.push_back(std::to_string(t.scores.size()) + "/" + std::to_string(folds));
    row.push_back(meanText(t));
    row.push_back(t.runUid);
    row.push_back(t.reason);
    table.add(row);
  }
  std::printf("sweep %s: %zu trials (%d finished, %d pruned, %d running, %d pending, %d failed); racing %s\n", name.c_str(),
              s.trials.size(), counts[2], counts[3], counts[1], counts[0], counts[4], nameOf(s.spec.racing.test));
  std::printf("%s", table.text().c_str());
  std::printf("fold trainings: %d, against %d had every trial trained all %d folds\n", spent, full, folds);
  if (best)
    std::printf("best (*): trial %d, %s (run %s)\n", best->trial, meanText(*best).c_str(), best->runUid.c_str());
  else
    std::printf("no trial has finished all its folds yet\n");
  return 0;
}

int listCommand(const Args& args) {
  args.allowOnly({"db"});
  auto store = tracker::SweepStore::open(trackerPath(args), tracker::RunStore::Access::ReadOnly);
  Table table({"sweep", "created", "trials", "finished", "pruned", "best val acc", "best trial"});
  for (const auto& s : store.listSweeps()) {
    const auto trials = store.trials(s.id);
    const auto base = config::fromJson(s.baseConfigJson, "sweep " + s.name);
    const auto best = sweep::incumbentOf(trials, base.kfold.folds);
    int finished = 0, pruned = 0;
    for (const auto& t : trials) finished += t.status == tracker::TrialStatus::Finished, pruned += t.status == tracker::TrialStatus::Pruned;
    table.add({s.name, formatTime(s.createdAt), std::to_string(trials.size()), std::to_string(finished), std::to_string(pruned),
               best ? meanText(*best) : "", best ? std::to_string(best->trial) : ""});
  }
  if (table.empty()) std::printf("no sweeps in %s (sweep create makes one)\n", trackerPath(args).c_str());
  else std::printf("%s", table.text().c_str());
  return 0;
}

int bestCommand(const std::string& name, const Args& args) {
  args.allowOnly({"db", "config-out", "force"});
  if (name.empty()) throw UsageError("sweep best needs the sweep's NAME");
  const auto s = load(args, name);
  const auto best = sweep::incumbentOf(s.trials, s.base.kfold.folds);
  if (!best) throw std::runtime_error("sweep " + name + " has no trial that finished all its folds yet");
  std::printf("trial %d: %s over %d folds\nrun %s\n", best->trial, meanText(*best).c_str(), s.base.kfold.folds,
              best->runUid.c_str());
  for (const auto& [k, v] : best->params) std::printf("  %s = %s\n", k.c_str(), v.c_str());
  if (const auto out = args.value("config-out")) {
    auto config = sweep::trialConfig(s.base, best->params);
    config.run.name = name + "-best";
    platform::writeFileAtomically(*out, config::toJson(config) + "\n", args.flag("force"));
    std::printf("wrote %s: train it again with foldbench-cli train --config %s\n", out->c_str(), out->c_str());
  }
  return 0;
}

int ensembleCommand(const std::string& name, const Args& args) {
  args.allowOnly({"db", "test", "out", "top", "format", "force", "probs"});
  if (name.empty()) throw UsageError("sweep ensemble needs the sweep's NAME");
  const auto test = args.value("test"), out = args.value("out");
  if (!test || !out) throw UsageError("sweep ensemble needs --test FILE --out FILE");
  for (const auto& path : {*out, args.value("probs", "")})
    if (!path.empty() && !args.flag("force") && fs::exists(path)) throw std::runtime_error(path + " exists; pass --force to replace it");
  const auto s = load(args, name);
  std::vector<tracker::TrialRecord> finished;
  for (const auto& t : s.trials)
    if (t.status == tracker::TrialStatus::Finished && !t.runUid.empty()) finished.push_back(t);
  if (finished.empty()) throw std::runtime_error("sweep " + name + " has no finished trial to ensemble");
  std::stable_sort(finished.begin(), finished.end(), [](const auto& a, const auto& b) { return a.mean > b.mean; });
  const int top = args.intValue("top", 10);
  if (top < 1) throw UsageError("--top must be at least 1");
  if (static_cast<int>(finished.size()) > top) finished.resize(static_cast<std::size_t>(top));
  std::vector<std::string> uids;
  for (const auto& t : finished) uids.push_back(t.runUid);
  std::printf("candidates: the %zu best finished trials (", finished.size());
  for (std::size_t i = 0; i < finished.size(); ++i) std::printf("%s%d", i ? ", " : "", finished[i].trial);
  std::printf(")\n");

  ensemble::ExportRequest request;
  request.database = trackerPath(args);
  request.overwrite = args.flag("force");
  request.testPath = *test;
  request.outPath = *out;
  request.probabilitiesPath = args.value("probs", "");
  request.options.vote = ensemble::Vote::Weighted;
  request.options.runWeights = ensemble::RunWeights::Greedy;
  request.format = ensemble::parseSubmissionFormat(args.value("format", "pstage"));
  const auto runs = ensemble::loadExportRuns(uids, request.database);
  request.options.noRelationLabel = runs.runs[0].config.data.noRelationLabel;
  const auto result = ensemble::runExport(runs, request, [](int done, int total) {
    std::fprintf(stderr, "predicting the test file: fold checkpoint %d of %d done\n", done, total);
  });
  const auto& r = result.report;
  Table table({"trial", "run", "oof acc", "times selected", "weight"});
  for (std::size_t i = 0; i < finished.size() && i < r.members.size(); ++i)
    table.add({std::to_string(finished[i].trial), finished[i].runUid, formatNumber(r.members[i].accuracy),
               i < r.selectionCounts.size() ? std::to_string(r.selectionCounts[i]) : "", formatNumber(r.runWeights[i], 3)});
  std::printf("greedy selection with replacement (Caruana et al. 2004), fitted inside the cross-fitting:\n%s", table.text().c_str());
  std::printf("best single trial out of fold: %.4f; ensemble cross-fitted (the honest estimate): %.4f; in sample: %.4f\n",
              r.members[r.bestMember].accuracy, r.crossFitted.accuracy, r.inSample.accuracy);
  std::printf("wrote %s (sha256 %s)\n", out->c_str(), result.sha256.substr(0, 16).c_str());
  return 0;
}

}  // namespace

int sweepCommand(const std::string& verb, const Args& args, const char*) {
  const auto& words = args.positional();
  const std::string name = words.empty() ? "" : words.front();
  if (words.size() > 1) throw UsageError("sweep " + verb + " takes one NAME, got '" + words[1] + "' too");
  if (verb == "create") return createCommand(name, args);
  if (verb == "run") return runCommand(name, args);
  if (verb == "status") return statusCommand(name, args);
  if (verb == "list") return listCommand(args);
  if (verb == "best") return bestCommand(name, args);
  if (verb == "ensemble") return ensembleCommand(name, args);
  throw UsageError("unknown sweep command '" + verb + "'");
}

}  // namespace foldbench::cli
