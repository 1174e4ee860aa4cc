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
#include "sqlite_db.h"

namespace foldbench::tracker {

namespace fs = std::filesystem;

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string hostName() {
  char name[256] = {0};
  gethostname(name, sizeof name - 1);
  return name;
}

namespace {

// Checks an existing file without writing to it: SQLite, ours, and not from a newer release.
// Returns false for an empty database (one another process may be creating right now).
bool inspectExisting(const std::string& path) {
  try {
    Database db(path, Database::Mode::ReadOnly, false);
    auto tables = db.prepare("SELECT count(*) FROM sqlite_master");
    tables.step();
    if (tables.integer(0) == 0) return false;  // an empty database: safe to initialise
    auto meta = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    meta.step();
    bool ours = false;
    if (meta.integer(0) == 1) {
      auto app = db.prepare("SELECT value FROM meta WHERE key = 'app'");
      ours = app.step() && app.text(0) == "foldbench";
    }
    if (!ours) throw StoreError(path + " is not a Foldbench database (it holds other tables); it was not modified",
                                StoreError::Kind::NotATracker);
    const int version = storedSchemaVersion(db);
    if (version > kSchemaVersion)
      throw StoreError(path + " has schema version " + std::to_string(version) + ", newer than this Foldbench (" +
                           std::to_string(kSchemaVersion) + "); update Foldbench. The file was not modified",
                       StoreError::Kind::NewerSchema);
    return true;
  } catch (const SqliteError& e) {
    if (e.code() == SQLITE_NOTADB || (e.code() & 0xff) == SQLITE_NOTADB)
      throw StoreError(path + " is not a SQLite database; it was not modified", StoreError::Kind::NotATracker);
    if ((e.code() & 0xff) == SQLITE_CORRUPT)
      throw StoreError(path + " is damaged (" + e.what() + "); it was not modified", StoreError::Kind::Corrupt);
    throw StoreError(e.what());
  }
}

StoreError describeWriteError(const SqliteError& e, const std::string& path) {
  using Kind = StoreError::Kind;
  switch (e.code() & 0xff) {
    case SQLITE_FULL: return StoreError(path + ": the disk (or the database's size limit) is full: " + e.what(), Kind::Io);
    case SQLITE_READONLY: return StoreError(path + " is read-only: " + e.what(), Kind::ReadOnly);
    case SQLITE_CANTOPEN: return StoreError(path + ": cannot open (is the directory writable?): " + e.what(), Kind::Io);
    case SQLITE_IOERR:
      return StoreError(path + ": cannot write (disk full, file size limit or I/O error): " + e.what(), Kind::Io);
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return StoreError(path + " is busy (another process holds a lock): " + e.what(), Kind::Busy);
    case SQLITE_CORRUPT: return StoreError(path + " is damaged: " + e.what(), Kind::Corrupt);
    default: return StoreError(path + ": " + e.what());
  }
}

}  // namespace

struct RunStore::Impl {
  Database db;
  bool writable;
  std::unordered_map<std::string, std::int64_t> seriesIds;
  // Series ids cached during a transaction that rolls back would point at name rows that never
  // were: the cache is forgotten unless the transaction commits.
  struct SeriesCacheGuard {
    Impl& impl;
    bool committed = false;
    ~SeriesCacheGuard() {
      if (!committed) impl.seriesIds.clear();
    }
  };
  std::unique_ptr<Statement> upsertSummary, insertSeries, selectSeries;

  Impl(const std::string& path, Database::Mode mode, bool create) : db(path, mode, create), writable(mode == Database::Mode::ReadWrite) {}

  template <typename Fn>
  auto write(Fn&& fn) {
    if (!writable) throw StoreError(db.path() + " is open read-only", StoreError::Kind::ReadOnly);
    try {
      return fn();
    } catch (const SqliteError& e) {
      throw describeWriteError(e, db.path());
    }
  }

  std::int64_t seriesId(const std::string& name) {
    if (const auto it = seriesIds.find(name); it != seriesIds.end()) return it->second;
    if (!insertSeries) {
      insertSeries = std::make_unique<Statement>(db.handle(), "INSERT OR IGNORE INTO series_names(name) VALUES(?)");
      selectSeries = std::make_unique<Statement>(db.handle(), "SELECT id FROM series_names WHERE name = ?");
    }
    insertSeries->bind(1, name).run();
    selectSeries->bind(1, name);
    selectSeries->step();
    const auto id = selectSeries->integer(0);
    selectSeries->reset();
    seriesIds[name] = id;
    return id;
  }

  // The run row itself, inside the caller's transaction; returns its id.
  std::int64_t insertRun(const RunInfo& i) {
    auto r = db.prepare(
        "INSERT INTO runs(uid, experiment_id, name, status, created_at, finished_at, heartbeat_at, config_json, seed, "
        "app_version, torch_version, host, device, threads, pid, data_fingerprint, run_dir, error) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    r.bind(1, i.uid).bind(2, experimentId(i.experiment)).bind(3, i.name).bind(4, i.status).bind(5, i.createdAt);
    r.bind(6, i.finishedAt).bind(7, i.heartbeatAt).bind(8, i.configJson).bind(9, static_cast<std::int64_t>(i.seed));
    r.bind(10, i.appVersion).bind(11, i.torchVersion).bind(12, i.host).bind(13, i.device).bind(14, i.threads);
    r.bind(15, i.pid).bind(16, i.dataFingerprint).bind(17, i.runDir).bind(18, i.error).run();
    return db.lastInsertId();
  }

  // A parameter keeps its text and, when the whole text is a number, that number for filters.
  void insertParams(std::int64_t run, const std::vector<std::pair<std::string, std::string>>& params) {
    auto p = db.prepare("INSERT OR REPLACE INTO params(run_id, key, text, num) VALUES(?,?,?,?)");
    for (const auto& [key, value] : params) {
      p.bind(1, run).bind(2, key).bind(3, value);
      if (const auto number = util::parseDouble(value)) p.bind(4, *number);
      else p.bindNull(4);
      p.run();
    }
  }

  std::int64_t experimentId(const std::string& name) {
    db.prepare("INSERT OR IGNORE INTO experiments(name) VALUES(?)").bind(1, name).run();
    auto s = db.prepare("SELECT id FROM experiments WHERE name = ?");
    s.bind(1, name).step();
    return s.integer(0);
  }

  RunInfo readInfo(Statement& s, int first) const {
    RunInfo info;
    info.uid = s.text(first);
    info.experiment = s.text(first + 1);
    info.name = s.text(first + 2);
    info.status = s.text(first + 3);
    info.createdAt = s.real(first + 4);
    info.finishedAt = s.real(first + 5);
    info.heartbeatAt = s.real(first + 6);
    info.seed = static_cast<std::uint64_t>(s.integer(first + 7));
    info.host = s.text(first + 8);
    info.device = s.text(first + 9);
    info.threads = static_cast<int>(s.integer(first + 10));
    info.pid = static_cast<int>(s.integer(first + 11));
    info.runDir = s.text(first + 12);
    info.error = s.text(first + 13);
    info.appVersion = s.text(first + 14);
    info.torchVersion = s.text(first + 15);
    info.dataFingerprint = s.text(first + 16);
    return info;
  }
};

static const char* kRunColumns =
    "r.uid, e.name, r.name, r.status, r.created_at, r.finished_at, r.heartbeat_at, r.seed, r.host, r.device, "
    "r.threads, r.pid, r.run_dir, r.error, r.app_version, r.torch_version, r.data_fingerprint";

RunStore::RunStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RunStore::~RunStore() = default;
RunStore::RunStore(RunStore&&) noexcept = default;
RunStore& RunStore::operator=(RunStore&&) noexcept = default;

const std::string& RunStore::path() const { return impl_->db.path(); }

RunStore RunStore::open(const std::string& path, Access access) {
  const bool exists = fs::exists(path);
  const bool initialised = exists && inspectExisting(path);
  if (access == Access::ReadOnly && !initialised)
    throw StoreError(path + (exists ? " is not initialised yet (empty database)" : " does not exist"),
                     StoreError::Kind::NotFound);
  const auto mode = access == Access::ReadOnly ? Database::Mode::ReadOnly : Database::Mode::ReadWrite;
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(path, mode, !exists);
  } catch (const SqliteError& e) {
    throw describeWriteError(e, path);
  }
  if (access == Access::ReadWrite) {
    if (sqlite3_db_readonly(impl->db.handle(), "main") == 1)
      throw StoreError(path + " is read-only; open it read-only to browse, or fix its permissions",
                       StoreError::Kind::ReadOnly);
    try {
      impl->db.exec("PRAGMA journal_mode = WAL");
      impl->db.exec("PRAGMA synchronous = NORMAL");
      if (storedSchemaVersion(impl->db) < kSchemaVersion) migrate(impl->db, kSchemaVersion);
    } catch (const SqliteError& e) {
      throw describeWriteError(e, path);
    }
  }
  RunStore store(std::move(impl));
  if (access == Access::ReadWrite) store.markCrashedRuns(kStaleHeartbeatSeconds, nowSeconds());
  return store;
}

std::int64_t RunStore::createRun(const RunInfo& info, const std::vector<std::pair<std::string, std::string>>& params) {
  return impl_->write([&] {
    Transaction tx(impl_->db);
    RunInfo row = info;
    row.heartbeatAt = info.createdAt;
    row.finishedAt = 0.0;
    const auto id = impl_->insertRun(row);
    impl_->insertParams(id, params);
    tx.commit();
    return id;
  });
}

void RunStore::writeMetrics(std::int64_t run, const std::vector<MetricPoint>& points) {
  if (points.empty()) return;
  impl_->write([&] {
    auto& db = impl_->db;
    if (!impl_->upsertSummary) {
      impl_->upsertSummary = std::make_unique<Statement>(
          db.handle(),
          "INSERT INTO series_summary(run_id, series_id, last_step, last, min, max, sum, count) VALUES(?,?,?,?,?,?,?,?) "
          "ON CONFLICT(run_id, series_id) DO UPDATE SET "
          "last = CASE WHEN excluded.last_step >= last_step THEN excluded.last ELSE last END, "
          "last_step = MAX(last_step, excluded.last_step), min = MIN(min, excluded.min), "
          "max = MAX(max, excluded.max), sum = sum + excluded.sum, count = count + excluded.count");
    }
    struct Pending {
      std::vector<PackedPoint> points;
      std::int64_t lastStep = 0;
      double last = 0, min = 0, max = 0, sum = 0;
    };
    std::unordered_map<std::int64_t, Pending> bySeries;
    Transaction tx(db);
    Impl::SeriesCacheGuard forget{*impl_};
    for (const auto& p : points) {
      auto& pending = bySeries[impl_->seriesId(p.name)];
      if (pending.points.empty()) pending.lastStep = p.step, pending.last = pending.min = pending.max = p.value;
      if (p.step >= pending.lastStep) pending.lastStep = p.step, pending.last = p.value;
      pending.min = std::min(pending.min, p.value);
      pending.max = std::max(pending.max, p.value);
      pending.sum += p.value;
      pending.points.push_back({p.step, p.value, p.time, p.epoch, 0});
    }
    auto& upsert = *impl_->upsertSummary;
    for (auto& [series, pending] : bySeries) {
      const auto count = static_cast<std::int64_t>(pending.points.size());
      upsert.bind(1, run).bind(2, series).bind(3, pending.lastStep).bind(4, pending.last).bind(5, pending.min);
      upsert.bind(6, pending.max).bind(7, pending.sum).bind(8, count).run();
      appendChunks(db, run, series, std::move(pending.points));
    }
    tx.commit();
    forget.committed = true;
  });
}

void RunStore::setFields(std::int64_t run, const std::vector<Field>& fields) {
  impl_->write([&] {
    Transaction tx(impl_->db);
    auto s = impl_->db.prepare("INSERT OR REPLACE INTO fields(run_id, key, text, num) VALUES(?,?,?,?)");
    for (const auto& f : fields) {
      s.bind(1, run).bind(2, f.key).bind(3, f.text);
      if (f.number) s.bind(4, *f.number);
      else s.bindNull(4);
      s.run();
    }
    tx.commit();
  });
}

void RunStore::upsertFold(std::int64_t run, const FoldRecord& f) {
  impl_->write([&] {
    auto s = impl_->db.prepare(
        "INSERT OR REPLACE INTO folds(run_id, fold, status, best_epoch, train_acc, val_acc, val_micro_f1, val_loss, "
        "checkpoint) VALUES(?,?,?,?,?,?,?,?,?)");
    s.bind(1, run).bind(2, f.fold).bind(3, f.status).bind(4, f.bestEpoch).bind(5, f.trainAccuracy);
    s.bind(6, f.validationAccuracy).bind(7, f.validationMicroF1).bind(8, f.validationLoss).bind(9, f.checkpoint).run();
  });
}

void RunStore::addArtifact(std::int64_t run, const Artifact& a) {
  impl_->write([&] {
    impl_->db.prepare("INSERT INTO artifacts(run_id, path, kind, size, sha256, created_at) VALUES(?,?,?,?,?,?)")
        .bind(1, run).bind(2, a.path).bind(3, a.kind).bind(4, a.size).bind(5, a.sha256).bind(6, nowSeconds())
        .run();
  });
}

void RunStore::heartbeat(const std::vector<std::int64_t>& runs, double now) {
  impl_->write([&] {
    auto s = impl_->db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'");
    for (auto run : runs) s.bind(1, now).bind(2, run).run();
  });
}

void RunStore::finishRun(std::int64_t run, const std::string& status, const std::string& error, double now) {
  impl_->write([&] {
    impl_->db.prepare("UPDATE runs SET status = ?, error = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?")
        .bind(1, status).bind(2, error).bind(3, now).bind(4, now).bind(5, run).run();
  });
}

void RunStore::addTags(std::int64_t run, const std::vector<std::string>& tags) {
  impl_->write([&] {
    auto s = impl_->db.prepare("INSERT OR IGNORE INTO tags(run_id, tag) VALUES(?,?)");
    for (const auto& t : tags) s.bind(1, run).bind(2, t).run();
  });
}

void RunStore::removeTags(std::int64_t run, const std::vector<std::string>& tags) {
  impl_->write([&] {
    auto s = impl_->db.prepare("DELETE FROM tags WHERE run_id = ? AND tag = ?");
    for (const auto& t : tags) s.bind(1, run).bind(2, t).run();
  });
}

void RunStore::addNote(std::int64_t run, const std::string& text, double now) {
  impl_->write([&] {
    impl_->db.prepare("INSERT INTO notes(run_id, created_at, text) VALUES(?,?,?)").bind(1, run).bind(2, now).bind(3, text).run();
  });
}

namespace {
// A directory deleted "with files" must be the run's own: named after its uid and holding its
// summary.json. A record that arrived by import, or was crafted, may name any directory.
void checkOwnRunDirectory(const RunInfo& info) {
  const fs::path dir = info.runDir;
  const std::string refuse = "refusing to delete the files of run " + info.uid + ": ";
  if (dir.empty()) throw StoreError(refuse + "it records no run directory", StoreError::Kind::Refused);
  if (dir.filename() != info.uid)
    throw StoreError(refuse + dir.string() + " is not named after the run, so it is not its own directory",
                     StoreError::Kind::Refused);
  std::string owner;
  try {
    owner = nlohmann::json::parse(std::ifstream(dir / "summary.json")).at("run_id").get<std::string>();
  } catch (const std::exception&) {
    throw StoreError(refuse + (dir / "summary.json").string() + " is missing or unreadable", StoreError::Kind::Refused);
  }
  if (owner != info.uid) throw StoreError(refuse + dir.string() + " holds the summary of run " + owner, StoreError::Kind::Refused);
}
}  // namespace

void RunStore::renameRun(std::int64_t run, const std::string& name) {
  impl_->write([&] { impl_->db.prepare("UPDATE runs SET name = ? WHERE id = ?").bind(1, name).bind(2, run).run(); });
}

void RunStore::deleteRun(std::int64_t run, bool withFiles) {
  const auto detail = showRun(run);
  if (detail.info.status == "running" && !runLooksDead(detail.info, kStaleHeartbeatSeconds, nowSeconds()))
    throw StoreError("run " + detail.info.uid + " is still running (pid " + std::to_string(detail.info.pid) + " on " +
                     detail.info.host + "); stop it before deleting it",
                     StoreError::Kind::Refused);
  if (withFiles) checkOwnRunDirectory(detail.info);
  impl_->write([&] {
    Transaction tx(impl_->db);
    for (const char* table : {"params", "fields", "folds", "metric_chunks", "series_summary", "artifacts", "tags", "notes"})
      impl_->db.prepare(std::string("DELETE FROM ") + table + " WHERE run_id = ?").bind(1, run).run();
    impl_->db.prepare("DELETE FROM runs WHERE id = ?").bind(1, run).run();
    tx.commit();
  });
  if (!withFiles) return;
  // Only the run's own directory goes; files recorded elsewhere (submissions) are the user's.
  std::error_code ec;
  fs::remove_all(detail.info.runDir, ec);
}

namespace {
bool processGone(const RunInfo& info) {
  static const std::string host = hostName();
  return info.host == host && info.pid > 0 && ::kill(info.pid, 0) == -1 && errno == ESRCH;
}
}  // namespace

bool runLooksDead(const RunInfo& info, double staleSeconds, double now) {
  return info.status == "running" && (processGone(info) || now - info.heartbeatAt > staleSeconds);
}

int RunStore::markCrashedRuns(double staleSeconds, double now) {
  return impl_->write([&] {
    std::vector<std::pair<std::int64_t, RunInfo>> running;
    auto s = impl_->db.prepare("SELECT id, host, pid, heartbeat_at FROM runs WHERE status = 'running'");
    while (s.step()) {
      RunInfo info;
      info.status = "running";
      info.host = s.text(1);
      info.pid = static_cast<int>(s.integer(2));
      info.heartbeatAt = s.real(3);
      running.emplace_back(s.integer(0), info);
    }
    int crashed = 0;
    auto mark = impl_->db.prepare(
        "UPDATE runs SET status = 'crashed', finished_at = heartbeat_at, error = ? WHERE id = ? AND status = 'running'");
    for (const auto& [id, info] : running) {
      if (!runLooksDead(info, staleSeconds, now)) continue;
      mark.bind(1, processGone(info) ? "the training process ended without finishing the run"
                                     : "no heartbeat for " + std::to_string(static_cast<long>(now - info.heartbeatAt)) + " s")
          .bind(2, id)
          .run();
      ++crashed;
    }
    return crashed;
  });
}

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

std::int64_t RunStore::dataVersion() const {
  auto s = impl_->db.prepare("PRAGMA data_version");
  s.step();
  return s.integer(0);
}

RunStore::Snapshot::Snapshot(const RunStore& store) : store_(store) {
  // Nested snapshots share the outer one.
  if (sqlite3_get_autocommit(store.impl_->db.handle()) == 0) return;
  store.impl_->db.exec("BEGIN");
  owns_ = true;
}

RunStore::Snapshot::~Snapshot() {
  if (!owns_) return;
  try {
    store_.impl_->db.exec("COMMIT");
  } catch (...) {
    // A read transaction has nothing to lose; the connection stays usable.
  }
}

std::string RunStore::integrityCheck() const {
  auto s = impl_->db.prepare("PRAGMA integrity_check");
  std::string out;
  while (s.step()) out += (out.empty() ? "" : "; ") + s.text(0);
  return out;
}

ImportResult RunStore::importFrom(const std::string& otherPath) {
  if (fs::exists(otherPath) && fs::exists(path()) && fs::equivalent(otherPath, path()))
    throw StoreError("cannot import " + otherPath + " into itself");
  const RunStore other = RunStore::open(otherPath, Access::ReadOnly);
  {
    Database& src = other.impl_->db;
    if (storedSchemaVersion(src) < kSchemaVersion)
      throw StoreError(otherPath + " has an older schema; open it once with this Foldbench (runs list --db) to upgrade it");
  }
  ImportResult result;
  auto& src = other.impl_->db;
  std::vector<std::pair<std::int64_t, std::string>> runs;
  auto list = src.prepare("SELECT id, uid FROM runs ORDER BY id");
  while (list.step()) runs.emplace_back(list.integer(0), list.text(1));
  impl_->write([&] {
    Transaction tx(impl_->db);
    Impl::SeriesCacheGuard forget{*impl_};
    auto exists = impl_->db.prepare("SELECT 1 FROM runs WHERE uid = ?");
    for (const auto& [srcId, uid] : runs) {
      exists.bind(1, uid);
      const bool present = exists.step();
      exists.reset();
      if (present) {
        ++result.skipped;
        continue;
      }
      const RunDetail d = other.showRun(srcId);
      // Inside the import's one transaction: the Impl helpers, not the public writers.
      const auto id = impl_->insertRun(d.info);
      impl_->insertParams(id, {d.params.begin(), d.params.end()});
      auto f = impl_->db.prepare("INSERT INTO fields(run_id, key, text, num) VALUES(?,?,?,?)");
      for (const auto& field : d.fields) {
        f.bind(1, id).bind(2, field.key).bind(3, field.text);
        if (field.number) f.bind(4, *field.number);
        else f.bindNull(4);
        f.run();
      }
      auto fo = impl_->db.prepare(
          "INSERT INTO folds(run_id, fold, status, best_epoch, train_acc, val_acc, val_micro_f1, val_loss, checkpoint) "
          "VALUES(?,?,?,?,?,?,?,?,?)");
      for (const auto& x : d.folds)
        fo.bind(1, id).bind(2, x.fold).bind(3, x.status).bind(4, x.bestEpoch).bind(5, x.trainAccuracy)
            .bind(6, x.validationAccuracy).bind(7, x.validationMicroF1).bind(8, x.validationLoss).bind(9, x.checkpoint).run();
      auto a = impl_->db.prepare("INSERT INTO artifacts(run_id, path, kind, size, sha256, created_at) VALUES(?,?,?,?,?,?)");
      for (const auto& x : d.artifacts)
        a.bind(1, id).bind(2, x.path).bind(3, x.kind).bind(4, x.size).bind(5, x.sha256).bind(6, nowSeconds()).run();
      auto t = impl_->db.prepare("INSERT OR IGNORE INTO tags(run_id, tag) VALUES(?,?)");
      for (const auto& tag : d.tags) t.bind(1, id).bind(2, tag).run();
      auto n = impl_->db.prepare("INSERT INTO notes(run_id, created_at, text) VALUES(?,?,?)");
      for (const auto& [when, text] : d.notes) n.bind(1, id).bind(2, when).bind(3, text).run();
      // Series chunks and summaries, through the name dictionary of this store.
      auto chunks = src.prepare(
          "SELECT n.name, c.first_step, c.last_step, c.count, c.points FROM metric_chunks c JOIN series_names n "
          "ON n.id = c.series_id WHERE c.run_id = ? ORDER BY c.id");
      chunks.bind(1, srcId);
      auto insertChunk = impl_->db.prepare(
          "INSERT INTO metric_chunks(run_id, series_id, first_step, last_step, count, points) VALUES(?,?,?,?,?,?)");
      while (chunks.step()) {
        const auto [data, bytes] = chunks.blob(4);
        insertChunk.bind(1, id).bind(2, impl_->seriesId(chunks.text(0))).bind(3, chunks.integer(1));
        insertChunk.bind(4, chunks.integer(2)).bind(5, chunks.integer(3)).bindBlob(6, data, bytes).run();
      }
      auto summaries = src.prepare(
          "SELECT n.name, s.last_step, s.last, s.min, s.max, s.sum, s.count FROM series_summary s JOIN series_names n "
          "ON n.id = s.series_id WHERE s.run_id = ?");
      summaries.bind(1, srcId);
      auto insertSummary = impl_->db.prepare(
          "INSERT INTO series_summary(run_id, series_id, last_step, last, min, max, sum, count) VALUES(?,?,?,?,?,?,?,?)");
      while (summaries.step())
        insertSummary.bind(1, id).bind(2, impl_->seriesId(summaries.text(0))).bind(3, summaries.integer(1))
            .bind(4, summaries.real(2)).bind(5, summaries.real(3)).bind(6, summaries.real(4)).bind(7, summaries.real(5))
            .bind(8, summaries.integer(6)).run();
      ++result.imported;
    }
    tx.commit();
    forget.committed = true;
  });
  return result;
}

}  // namespace foldbench::tracker
