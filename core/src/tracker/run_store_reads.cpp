// RunStore: every read (resolve, list, show, series).
#include "foldbench/tracker/run_store.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "foldbench/tracker/filter.h"
#include "foldbench/util/numbers.h"
#include "schema.h"
#include "series_chunks.h"
#include "run_store_impl.h"
#include "sqlite_db.h"


namespace foldbench::tracker {

namespace fs = std::filesystem;

static const char* kRunColumns =
    "r.uid, e.name, r.name, r.status, r.created_at, r.finished_at, r.heartbeat_at, r.seed, r.host, r.device, "
    "r.threads, r.pid, r.run_dir, r.error, r.app_version, r.torch_version, r.data_fingerprint";

std::int64_t RunStore::resolve(const std::string& key) const {
  auto& db = impl_->db;
  if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos) {
    auto s = db.prepare("SELECT id FROM runs WHERE id = ?");
    if (s.bind(1, static_cast<std::int64_t>(std::stoll(key))).step()) return s.integer(0);
  }
  // An exact uid sorts first; otherwise a unique prefix.
  auto s = db.prepare("SELECT id, uid FROM runs WHERE uid = ? OR uid LIKE ? ESCAPE '\\' ORDER BY uid = ? DESC LIMIT 2");
  std::string escaped;
  for (char c : key) {
    if (c == '%' || c == '_' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  s.bind(1, key).bind(2, escaped + "%").bind(3, key);
  std::vector<std::pair<std::int64_t, std::string>> matches;
  while (s.step()) matches.emplace_back(s.integer(0), s.text(1));
  if (matches.empty()) throw StoreError("no run '" + key + "' in " + path(), StoreError::Kind::NotFound);
  if (matches[0].second != key && matches.size() > 1) throw StoreError("run prefix '" + key + "' is ambiguous");
  return matches[0].first;
}

std::vector<RunRow> RunStore::listRuns(const ListQuery& q) const {
  const auto filter = parseFilter(q.filter);
  const Snapshot snapshot(*this);
  std::string order;
  std::vector<SqlValue> orderParams;
  std::string sortKey = q.sort.empty() ? "-created" : q.sort;
  const bool descending = sortKey[0] == '-';
  if (descending) sortKey = sortKey.substr(1);
  static const std::map<std::string, std::string> columns = {
      {"created", "r.created_at"}, {"finished", "r.finished_at"}, {"name", "r.name"}, {"status", "r.status"},
      {"id", "r.id"},              {"uid", "r.uid"}};
  if (const auto it = columns.find(sortKey); it != columns.end()) {
    order = it->second;
  } else {
    order = "(SELECT f.num FROM fields f WHERE f.run_id = r.id AND f.key = ?)";
    orderParams.emplace_back(sortKey);
  }
  std::string sql = std::string("SELECT r.id, ") + kRunColumns +
                    " FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE (" + filter.where + ")" +
                    (q.touchedSince > 0.0 ? " AND (r.created_at >= ? OR r.heartbeat_at >= ? OR r.finished_at >= ?)" : "") +
                    " ORDER BY " +
                    order + (descending ? " DESC" : " ASC") + ", r.id" + (descending ? " DESC" : "") + " LIMIT ?";
  auto s = impl_->db.prepare(sql);
  int index = 1;
  const auto bindValue = [&](const SqlValue& v) {
    if (std::holds_alternative<double>(v)) s.bind(index++, std::get<double>(v));
    else s.bind(index++, std::get<std::string>(v));
  };
  for (const auto& v : filter.parameters) bindValue(v);
  if (q.touchedSince > 0.0)
    for (int i = 0; i < 3; ++i) s.bind(index++, q.touchedSince);
  for (const auto& v : orderParams) bindValue(v);
  s.bind(index, static_cast<std::int64_t>(q.limit > 0 ? q.limit : -1));
  std::vector<RunRow> rows;
  std::unordered_map<std::int64_t, std::size_t> position;
  while (s.step()) {
    RunRow row;
    row.id = s.integer(0);
    row.info = impl_->readInfo(s, 1);
    position[row.id] = rows.size();
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return rows;
  for (const auto& key : q.fields) {
    auto f = impl_->db.prepare("SELECT run_id, text, num FROM fields WHERE key = ?");
    f.bind(1, key);
    while (f.step())
      if (const auto it = position.find(f.integer(0)); it != position.end()) {
        Field field{key, f.isNull(2) ? std::nullopt : std::optional<double>(f.real(2)), f.text(1)};
        rows[it->second].fields[key] = field;
      }
  }
  if (!q.params.empty()) {
    // Parameters are keyed by run first: a lookup per run and key beats scanning every run's parameters.
    auto p = impl_->db.prepare("SELECT text FROM params WHERE run_id = ? AND key = ?");
    for (auto& row : rows)
      for (const auto& key : q.params) {
        if (p.bind(1, row.id).bind(2, key).step()) row.params[key] = p.text(0);
        p.reset();
      }
  }
  auto tags = impl_->db.prepare("SELECT run_id, tag FROM tags ORDER BY tag");
  while (tags.step())
    if (const auto it = position.find(tags.integer(0)); it != position.end()) rows[it->second].tags.push_back(tags.text(1));
  return rows;
}

RunDetail RunStore::showRun(std::int64_t run) const {
  auto& db = impl_->db;
  const Snapshot snapshot(*this);
  RunDetail d;
  d.id = run;
  auto s = db.prepare(std::string("SELECT ") + kRunColumns + ", r.config_json FROM runs r JOIN experiments e ON " +
                      "e.id = r.experiment_id WHERE r.id = ?");
  if (!s.bind(1, run).step()) throw StoreError("no run with id " + std::to_string(run), StoreError::Kind::NotFound);
  d.info = impl_->readInfo(s, 0);
  d.info.configJson = s.text(17);
  auto tags = db.prepare("SELECT tag FROM tags WHERE run_id = ? ORDER BY tag");
  tags.bind(1, run);
  while (tags.step()) d.tags.push_back(tags.text(0));
  auto notes = db.prepare("SELECT created_at, text FROM notes WHERE run_id = ? ORDER BY id");
  notes.bind(1, run);
  while (notes.step()) d.notes.emplace_back(notes.real(0), notes.text(1));
  auto fields = db.prepare("SELECT key, text, num FROM fields WHERE run_id = ? ORDER BY key");
  fields.bind(1, run);
  while (fields.step())
    d.fields.push_back({fields.text(0), fields.isNull(2) ? std::nullopt : std::optional<double>(fields.real(2)), fields.text(1)});
  auto params = db.prepare("SELECT key, text FROM params WHERE run_id = ? ORDER BY key");
  params.bind(1, run);
  while (params.step()) d.params[params.text(0)] = params.text(1);
  auto folds = db.prepare(
      "SELECT fold, status, best_epoch, train_acc, val_acc, val_micro_f1, val_loss, checkpoint FROM folds "
      "WHERE run_id = ? ORDER BY fold");
  folds.bind(1, run);
  while (folds.step())
    d.folds.push_back({static_cast<int>(folds.integer(0)), folds.text(1), static_cast<int>(folds.integer(2)), folds.real(3),
                       folds.real(4), folds.real(5), folds.real(6), folds.text(7)});
  auto artifacts = db.prepare("SELECT path, kind, size, sha256 FROM artifacts WHERE run_id = ? ORDER BY id");
  artifacts.bind(1, run);
  while (artifacts.step())
    d.artifacts.push_back({artifacts.text(0), artifacts.text(1), artifacts.integer(2), artifacts.text(3)});
  const bool haveSummary = storedSchemaVersion(db) >= 2;
  if (haveSummary) {
    auto series = db.prepare(
        "SELECT n.name, s.last, s.min, s.max, s.sum, s.count FROM series_summary s JOIN series_names n ON "
        "n.id = s.series_id WHERE s.run_id = ? ORDER BY n.name");
    series.bind(1, run);
    while (series.step())
      d.series.push_back({series.text(0), series.real(1), series.real(2), series.real(3),
                          series.integer(5) ? series.real(4) / static_cast<double>(series.integer(5)) : 0.0,
                          series.integer(5)});
  }
  return d;
}

Series RunStore::series(std::int64_t run, const std::string& name) const { return seriesAfter(run, name, INT64_MIN); }

Series RunStore::seriesAfter(std::int64_t run, const std::string& name, std::int64_t afterStep) const {
  Series out;
  out.name = name;
  auto id = impl_->db.prepare("SELECT id FROM series_names WHERE name = ?");
  if (!id.bind(1, name).step()) return out;
  const auto points = readSeries(impl_->db, run, id.integer(0), afterStep);
  out.steps.resize(points.size());
  out.epochs.resize(points.size());
  out.values.resize(points.size());
  out.times.resize(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    out.steps[i] = points[i].step;
    out.epochs[i] = points[i].epoch;
    out.values[i] = points[i].value;
    out.times[i] = points[i].time;
  }
  return out;
}

std::vector<std::string> RunStore::seriesNames(std::int64_t run) const {
  std::vector<std::string> names;
  auto s = impl_->db.prepare(
      "SELECT DISTINCT n.name FROM series_summary s JOIN series_names n ON n.id = s.series_id WHERE s.run_id = ? "
      "ORDER BY n.name");
  s.bind(1, run);
  while (s.step()) names.push_back(s.text(0));
  return names;
}

std::int64_t RunStore::metricCount(std::int64_t run) const {
  auto s = impl_->db.prepare("SELECT coalesce(sum(count), 0) FROM metric_chunks WHERE run_id = ?");
  s.bind(1, run).step();
  return s.integer(0);
}

}  // namespace foldbench::tracker
