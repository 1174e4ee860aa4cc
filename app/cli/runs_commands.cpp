#include "runs_commands.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "foldbench/analysis/run_comparison.h"
#include "foldbench/platform/atomic_file.h"
#include "foldbench/tracker/filter.h"
#include "foldbench/tracker/known_names.h"
#include "foldbench/tracker/observed_status.h"
#include "foldbench/tracker/run_pruning.h"
#include "foldbench/tracker/run_store.h"
#include "runs_json.h"
#include "table_printer.h"

namespace foldbench::cli {

namespace {

using tracker::RunStore;

std::string dbPath(const Args& args) { return trackerPath(args); }

// Read-write when it can be (opening marks dead runs crashed), read-only when the file is.
RunStore openForBrowsing(const Args& args) {
  try {
    return RunStore::open(dbPath(args), RunStore::Access::ReadWrite);
  } catch (const tracker::StoreError& e) {
    // A read-only file can still be browsed; anything else (not ours, newer) is an error.
    if (e.kind() != tracker::StoreError::Kind::ReadOnly) throw;
    std::fprintf(stderr, "note: %s; opened read-only\n", e.what());
    return RunStore::open(dbPath(args), RunStore::Access::ReadOnly);
  }
}

constexpr const char* kDiskBytes = "sys/disk_bytes";

// Times ("sys/pruned_at") as dates and counts ("data/rows") as whole numbers; scores ("cv/",
// "fold/") keep four decimals even when whole, so a column of them lines up.
std::string fieldText(const tracker::Field& f) {
  if (!f.number) return f.text;
  const double v = *f.number;
  const bool score = f.key.rfind("cv/", 0) == 0 || f.key.rfind("fold/", 0) == 0;
  if (f.key.size() > 3 && f.key.compare(f.key.size() - 3, 3, "_at") == 0 && v > 0) return formatTime(v);
  if (!score && v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return formatNumber(v);
}

// After a prune the checkpoint files are gone though the tracker keeps their records: what
// runs show lists is what is on disk, and a fold's deleted checkpoint is said to be pruned.
void dropDeletedCheckpoints(tracker::RunDetail& d) {
  std::error_code error;
  auto& artifacts = d.artifacts;
  artifacts.erase(std::remove_if(artifacts.begin(), artifacts.end(),
                                 [&](const tracker::Artifact& a) {
                                   return a.kind == "checkpoint" && !std::filesystem::exists(a.path, error);
                                 }),
                  artifacts.end());
  const bool pruned = std::any_of(d.fields.begin(), d.fields.end(), [](const tracker::Field& f) { return f.key == "sys/pruned_at"; });
  for (auto& f : d.folds)
    if (!f.checkpoint.empty() && !std::filesystem::exists(f.checkpoint, error)) f.checkpoint = pruned ? "(pruned)" : "(missing)";
}

void print(const Table& table, const std::string& format) {
  if (format == "csv") std::fputs(table.csv().c_str(), stdout);
  else if (format == "json") std::fputs(table.json().c_str(), stdout);
  else std::fputs(table.text().c_str(), stdout);
}

// Misspelled names are errors with a suggestion: SQL would just match nothing.
void checkNames(const RunStore& store, const tracker::ListQuery& q, const std::vector<std::string>& columns) {
  const auto known = tracker::knownNames(store);
  tracker::parseFilter(q.filter, &known);  // throws FilterError with the position
  const std::string sortKey = !q.sort.empty() && q.sort[0] == '-' ? q.sort.substr(1) : q.sort;
  try {
    tracker::checkFieldName(sortKey, known, {"created", "finished", "name", "status", "id", "uid"}, "--sort");
    for (const auto& key : columns) tracker::checkFieldName(key, known, {"size"}, "--columns");
  } catch (const tracker::UnknownNameError& e) {
    throw UsageError(e.what());
  }
}

int list(const Args& args) {
  args.allowOnly({"db", "filter", "sort", "limit", "format", "columns"});
  const auto store = openForBrowsing(args);
  tracker::ListQuery q;
  q.filter = args.value("filter", "");
  q.sort = args.value("sort", "-created");
  q.limit = args.intValue("limit", 50);
  const auto columns = splitCommaList(args.value("columns", "cv/val/acc/mean,cv/val/acc/std,cv/val/micro_f1/mean"));
  checkNames(store, q, columns);
  // "size": the run directory's bytes on disk, as recorded at the end of the run and after a
  // prune; measured now for runs recorded before sizes were. "params.KEY": a parameter.
  for (const auto& key : columns) {
    if (key.rfind("params.", 0) == 0) q.params.push_back(key.substr(7));
    else q.fields.push_back(key == "size" ? kDiskBytes : key);
  }
  const auto rows = store.listRuns(q);
  std::vector<std::string> header = {"id", "run", "name", "status", "created"};
  header.insert(header.end(), columns.begin(), columns.end());
  header.push_back("tags");
  Table table(header);
  Json typed = Json::array();  // --format json: the same rows with numbers as numbers
  const double now = tracker::nowSeconds();
  for (const auto& r : rows) {
    const std::string status = nameOf(tracker::observedStatus(r.info, now));
    std::vector<std::string> cells = {std::to_string(r.id), r.info.uid, r.info.name, status, formatTime(r.info.createdAt)};
    Json row = {{"id", r.id}, {"run", r.info.uid}, {"name", r.info.name}, {"status", status},
                {"created", formatTime(r.info.createdAt)}, {"created_at", r.info.createdAt}};
    for (const auto& key : columns) {
      const auto it = r.fields.find(key == "size" ? kDiskBytes : key);
      if (key.rfind("params.", 0) == 0) {
        const auto p = r.params.find(key.substr(7));
        cells.push_back(p == r.params.end() ? "" : p->second);
        row[key] = p == r.params.end() ? Json(nullptr) : parameterJson(p->second);
      } else if (key == "size") {
        const auto bytes = it != r.fields.end() && it->second.number ? static_cast<std::uintmax_t>(*it->second.number)
                                                                     : tracker::directoryBytes(r.info.runDir);
        cells.push_back(tracker::formatBytes(static_cast<double>(bytes)));
        row[key] = bytes;
      } else {
        cells.push_back(it == r.fields.end() ? "" : fieldText(it->second));
        row[key] = it == r.fields.end() ? Json(nullptr) : fieldJson(it->second);
      }
    }
    row["tags"] = r.tags;
    typed.push_back(row);
    std::string tags;
    for (const auto& t : r.tags) tags += (tags.empty() ? "" : ",") + t;
    cells.push_back(tags);
    table.add(cells);
  }
  const std::string format = args.value("format", "table");
  if (format != "table" && format != "csv" && format != "json" && format != "ids")
    throw UsageError("--format must be table, csv, json or ids");
  if (format == "json") std::printf("%s\n", typed.dump(2).c_str());
  else if (format == "ids")  // for scripts: one uid a line, nothing else
    for (const auto& r : rows) std::printf("%s\n", r.info.uid.c_str());
  else print(table, format);
  if (format == "table" && rows.empty()) std::printf("(no runs in %s match)\n", dbPath(args).c_str());
  return 0;
}

int show(const Args& args) {
  args.allowOnly({"db", "format"});
  if (args.positional().size() != 1) throw UsageError("runs show needs one run ID");
  const std::string format = args.value("format", "table");
  if (format != "table" && format != "json") throw UsageError("--format must be table or json");
  const auto store = openForBrowsing(args);
  auto d = store.showRun(store.resolve(args.positional()[0]));
  dropDeletedCheckpoints(d);
  if (format == "json") {
    std::printf("%s\n", runDetailJson(d, nameOf(tracker::observedStatus(d.info, tracker::nowSeconds()))).dump(2).c_str());
    return 0;
  }
  std::printf("run %lld  %s  (%s)\n", static_cast<long long>(d.id), d.info.uid.c_str(), d.info.name.c_str());
  std::printf("status %s   created %s   finished %s\n", nameOf(tracker::observedStatus(d.info, tracker::nowSeconds())), formatTime(d.info.createdAt).c_str(),
              formatTime(d.info.finishedAt).c_str());
  std::printf("experiment %s   host %s   device %s   threads %d   seed %llu\n", d.info.experiment.c_str(),
              d.info.host.c_str(), d.info.device.c_str(), d.info.threads, static_cast<unsigned long long>(d.info.seed));
  if (!d.info.error.empty()) std::printf("error %s\n", d.info.error.c_str());
  if (!d.tags.empty()) {
    std::string tags;
    for (const auto& t : d.tags) tags += (tags.empty() ? "" : ", ") + t;
    std::printf("tags %s\n", tags.c_str());
  }
  for (const auto& [when, text] : d.notes) std::printf("note (%s): %s\n", formatTime(when).c_str(), text.c_str());
  std::printf("\n");
  Table folds({"fold", "status", "best epoch", "train acc", "val acc", "val micro-F1", "val loss", "checkpoint"});
  for (const auto& f : d.folds)
    folds.add({std::to_string(f.fold), f.status, std::to_string(f.bestEpoch), formatNumber(f.trainAccuracy),
               formatNumber(f.validationAccuracy), formatNumber(f.validationMicroF1), formatNumber(f.validationLoss),
               f.checkpoint});
  std::fputs(folds.text().c_str(), stdout);
  std::printf("\n");
  Table fields({"field", "value"});
  for (const auto& f : d.fields)
    if (f.key.rfind("cv/", 0) == 0 || f.key.rfind("sys/", 0) == 0 || f.key.rfind("data/", 0) == 0)
      fields.add({f.key, fieldText(f)});
  std::fputs(fields.text().c_str(), stdout);
  if (!d.artifacts.empty()) {
    std::printf("\n");
    Table artifacts({"kind", "size", "sha256", "path"});
    for (const auto& a : d.artifacts)
      artifacts.add({a.kind, std::to_string(a.size), a.sha256.substr(0, 12), a.path});
    std::fputs(artifacts.text().c_str(), stdout);
  }
  std::printf("\n%zu series (runs export %s for the points)\n", d.series.size(), d.info.uid.c_str());
  return 0;
}

int compare(const Args& args) {
  args.allowOnly({"db", "format", "all-params"});
  if (args.positional().size() < 2) throw UsageError("runs compare needs two or more run IDs");
  const std::string format = args.value("format", "table");
  if (format != "table" && format != "csv" && format != "json") throw UsageError("--format must be table, csv or json");
  const auto store = openForBrowsing(args);
  std::vector<analysis::ComparedRun> runs;
  {
    const tracker::RunStore::Snapshot snapshot(store);  // every run as of one moment
    for (const auto& key : args.positional()) runs.push_back(analysis::loadComparedRun(store.showRun(store.resolve(key))));
  }
  const auto comparison = analysis::compareRuns(runs);
  if (format == "json") {  // typed, with the tests the table prints below it
    std::printf("%s\n", comparisonJson(comparison, args.flag("all-params")).dump(2).c_str());
    return 0;
  }
  std::vector<std::string> header = {"field"};
  header.insert(header.end(), comparison.runs.begin(), comparison.runs.end());
  Table table(header);
  for (const auto& p : comparison.parameters) {
    if (!p.differs && !args.flag("all-params")) continue;
    std::vector<std::string> row = {"params." + p.key};
    row.insert(row.end(), p.values.begin(), p.values.end());
    table.add(row);
  }
  for (std::size_t fold = 0; fold < comparison.foldAccuracy.size(); ++fold) {
    std::vector<std::string> row = {"fold/" + std::to_string(fold) + "/val/acc"};
    for (const auto& v : comparison.foldAccuracy[fold]) row.push_back(v ? formatNumber(*v) : "");
    table.add(row);
  }
  std::vector<std::string> oofAcc = {"oof/acc"}, oofF1 = {"oof/micro_f1 (KLUE)"}, oofRows = {"oof/rows"};
  for (const auto& o : comparison.oof) {
    oofAcc.push_back(o.available ? formatNumber(o.accuracy) : "");
    oofF1.push_back(o.available ? formatNumber(o.relationMicroF1) : "");
    oofRows.push_back(o.available ? std::to_string(o.rows) : "");
  }
  for (auto* row : {&oofAcc, &oofF1, &oofRows}) table.add(*row);
  print(table, format);
  if (format == "table") {
    for (const auto& t : comparison.tests) {
      std::printf("\n");
      for (const auto& line : analysis::describeTests(comparison, t)) std::printf("%s\n", line.c_str());
    }
  }
  return 0;
}

int exportSeries(const Args& args) {
  args.allowOnly({"db", "format", "out", "force"});
  if (args.positional().size() != 1) throw UsageError("runs export needs one run ID");
  const auto store = openForBrowsing(args);
  const auto id = store.resolve(args.positional()[0]);
  const std::string format = args.value("format", "csv");
  if (format != "csv" && format != "json") throw UsageError("--format must be csv or json");
  Table table({"series", "step", "epoch", "value", "time"});
  Json typed = Json::array();
  for (const auto& name : store.seriesNames(id))
  {
    const auto series = store.series(id, name);
    for (std::size_t i = 0; i < series.size(); ++i) {
      table.add({name, std::to_string(series.steps[i]), std::to_string(series.epochs[i]), formatNumber(series.values[i], 8),
                 formatNumber(series.times[i], 3)});
      typed.push_back({{"series", name}, {"step", series.steps[i]}, {"epoch", series.epochs[i]},
                       {"value", series.values[i]}, {"time", series.times[i]}});
    }
  }
  const std::string text = format == "csv" ? table.csv() : typed.dump(2) + "\n";
  if (const auto out = args.value("out")) {
    if (std::filesystem::exists(*out) && !args.flag("force")) throw std::runtime_error(*out + " exists; pass --force to replace it");
    platform::writeFileAtomically(*out, text);
    std::fprintf(stderr, "wrote %s\n", out->c_str());
  } else {
    std::fputs(text.c_str(), stdout);
  }
  return 0;
}

int importRuns(const Args& args) {
  args.allowOnly({"db"});
  if (args.positional().size() != 1) throw UsageError("runs import needs one FILE");
  auto store = RunStore::open(dbPath(args));
  const auto result = store.importFrom(args.positional()[0]);
  std::printf("imported %d run(s), %d already present\n", result.imported, result.skipped);
  return 0;
}

int deleteRun(const Args& args) {
  args.allowOnly({"db", "with-files"});
  if (args.positional().size() != 1) throw UsageError("runs delete needs one run ID");
  auto store = RunStore::open(dbPath(args));
  const auto id = store.resolve(args.positional()[0]);
  const auto info = store.showRun(id).info;
  store.deleteRun(id, args.flag("with-files"));
  std::error_code error;
  // A queued run that could be deleted was prepared for the cluster and never submitted.
  const char* what = info.status == RunStatus::Queued ? " (prepared for the cluster, never submitted)" : "";
  if (args.flag("with-files") || info.runDir.empty() || !std::filesystem::exists(info.runDir, error)) {
    std::printf("deleted run %s%s%s\n", info.uid.c_str(), what, args.flag("with-files") ? " and its files" : "");
    return 0;
  }
  // The record is gone, so no later command can find the folder: say where it is now.
  std::printf("deleted run %s%s from the tracker; its folder %s (%s) is kept: remove it by hand, or delete\n"
              "with --with-files next time to remove record and folder together\n",
              info.uid.c_str(), what, info.runDir.c_str(),
              tracker::formatBytes(static_cast<double>(tracker::directoryBytes(info.runDir))).c_str());
  return 0;
}

int pruneRuns(const Args& args) {
  args.allowOnly({"db", "filter", "keep-best", "by", "dry-run"});
  tracker::PruneSelection selection;
  selection.runs = args.positional();
  selection.filter = args.value("filter", "");
  selection.keepBest = args.intValue("keep-best", 0);
  selection.by = args.value("by", selection.by);
  if (selection.runs.empty() && selection.filter.empty() && !args.value("keep-best"))
    throw UsageError("runs prune needs run IDs, --filter or --keep-best: it never prunes every run unasked");
  if (selection.keepBest < 0) throw UsageError("--keep-best must be 0 or more");
  const bool dryRun = args.flag("dry-run");
  auto store = dryRun ? openForBrowsing(args) : RunStore::open(dbPath(args));
  tracker::ListQuery asListed;
  asListed.filter = selection.filter;
  asListed.sort = selection.by;
  checkNames(store, asListed, {});
  const auto plans = tracker::planPrune(store, tracker::selectRuns(store, selection));
  Table table({"run", "files", "bytes", "size", dryRun ? "would" : "result"});
  std::uintmax_t planned = 0;
  int runs = 0;
  for (const auto& p : plans) {
    const std::string what = !p.refused.empty() ? "refused: " + p.refused
                             : p.files.empty()  ? "nothing to delete (already pruned or never trained)"
                                                : (dryRun ? "prune" : "pruned");
    table.add({p.uid, std::to_string(p.files.size()), std::to_string(p.bytes), tracker::formatBytes(static_cast<double>(p.bytes)), what});
    if (p.refused.empty() && !p.files.empty()) {
      planned += p.bytes;
      ++runs;
    }
  }
  const auto freed = dryRun ? planned : tracker::prune(store, plans);
  std::fputs(table.text().c_str(), stdout);
  std::printf("%s %s (%ju bytes) from %d run(s)%s\n", dryRun ? "would free" : "freed",
              tracker::formatBytes(static_cast<double>(freed)).c_str(), freed, runs,
              dryRun ? "; nothing was deleted (--dry-run)" : "; metrics, configs and out-of-fold predictions are kept");
  return 0;
}

int tag(const Args& args) {
  args.allowOnly({"db", "remove"});
  if (args.positional().size() < 2) throw UsageError("runs tag needs a run ID and one or more tags");
  auto store = RunStore::open(dbPath(args));
  const auto id = store.resolve(args.positional()[0]);
  const std::vector<std::string> tags(args.positional().begin() + 1, args.positional().end());
  if (args.flag("remove")) store.removeTags(id, tags);
  else store.addTags(id, tags);
  return 0;
}

int rename(const Args& args) {
  args.allowOnly({"db"});
  if (args.positional().size() != 2) throw UsageError("runs rename needs a run ID and the new name (quoted)");
  auto store = RunStore::open(dbPath(args));
  const auto id = store.resolve(args.positional()[0]);
  store.renameRun(id, args.positional()[1]);
  std::printf("renamed run %s to '%s'\n", store.showRun(id).info.uid.c_str(), args.positional()[1].c_str());
  return 0;
}

int note(const Args& args) {
  args.allowOnly({"db"});
  if (args.positional().size() != 2) throw UsageError("runs note needs a run ID and the note text (quoted)");
  auto store = RunStore::open(dbPath(args));
  store.addNote(store.resolve(args.positional()[0]), args.positional()[1], tracker::nowSeconds());
  return 0;
}

}  // namespace

int runsCommand(const std::string& verb, const Args& args) {
  if (verb == "list") return list(args);
  if (verb == "show") return show(args);
  if (verb == "compare") return compare(args);
  if (verb == "export") return exportSeries(args);
  if (verb == "import") return importRuns(args);
  if (verb == "delete") return deleteRun(args);
  if (verb == "prune") return pruneRuns(args);
  if (verb == "tag") return tag(args);
  if (verb == "note") return note(args);
  if (verb == "rename") return rename(args);
  throw UsageError("unknown runs command '" + verb + "'");
}

}  // namespace foldbench::cli
