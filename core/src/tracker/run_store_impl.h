#pragma once
// Private to the tracker: the connection a RunStore holds, shared by run_store*.cpp (opening
// and lifecycle, writes, reads, import).
#include <memory>
#include <string>
#include <unordered_map>

#include "foldbench/tracker/run_store.h"
#include "foldbench/util/numbers.h"
#include "sqlite_db.h"

namespace foldbench::tracker {

// SQLite's failure as a StoreError of the right kind, naming the file.
StoreError describeWriteError(const SqliteError& e, const std::string& path);

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
    r.bind(1, i.uid).bind(2, experimentId(i.experiment)).bind(3, i.name).bind(4, std::string(nameOf(i.status))).bind(5, i.createdAt);
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
    const auto status = s.text(first + 3);
    try {
      info.status = enumFromString<RunStatus>(status);
    } catch (const std::invalid_argument&) {
      throw StoreError("run " + info.uid + " has the unknown status '" + status + "'", StoreError::Kind::Corrupt);
    }
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

}  // namespace foldbench::tracker
