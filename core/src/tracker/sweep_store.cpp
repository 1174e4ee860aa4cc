#include "foldbench/tracker/sweep_store.h"

#include <unistd.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "process_liveness.h"
#include "run_store_impl.h"
#include "sqlite_db.h"

namespace foldbench::tracker {

struct SweepStore::Impl {
  RunStore runs;  // opened first: it checks, creates or migrates the file
  Database db;
  bool writable;
  bool hasTables;  // false in a read-only file older than schema 4: no sweeps yet

  Impl(RunStore r, const std::string& path, bool write)
      : runs(std::move(r)), db(path, write ? Database::Mode::ReadWrite : Database::Mode::ReadOnly, false), writable(write) {
    auto t = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sweep_trials'");
    t.step();
    hasTables = t.integer(0) > 0;
  }

  template <typename Fn>
  auto write(Fn&& fn) {
    if (!writable) throw StoreError(db.path() + " is open read-only", StoreError::Kind::ReadOnly);
    try {
      return fn();
    } catch (const SqliteError& e) {
      throw describeWriteError(e, db.path());
    }
  }
};

namespace {

using nlohmann::json;

const char* const kTrialColumns =
    "sweep_id, trial, status, params_json, fold_order, scores_json, mean, std, reason, run_uid, host, pid, attempts, "
    "heartbeat_at, started_at, finished_at";

TrialRecord readTrial(const Statement& s) {
  TrialRecord t;
  t.sweepId = s.integer(0);
  t.trial = static_cast<int>(s.integer(1));
  t.status = enumFromString<TrialStatus>(s.text(2));
  for (const auto& p : json::parse(s.text(3))) t.params.emplace_back(p.at(0).get<std::string>(), p.at(1).get<std::string>());
  t.foldOrder = json::parse(s.text(4)).get<std::vector<int>>();
  for (const auto& f : json::parse(s.text(5))) t.scores.push_back({f.at(0).get<int>(), f.at(1).get<double>()});
  t.mean = s.real(6);
  t.stddev = s.real(7);
  t.reason = s.text(8);
  t.runUid = s.text(9);
  t.host = s.text(10);
  t.pid = static_cast<int>(s.integer(11));
  t.attempts = static_cast<int>(s.integer(12));
  t.heartbeatAt = s.real(13);
  t.startedAt = s.real(14);
  t.finishedAt = s.real(15);
  return t;
}

std::vector<TrialRecord> readTrials(Database& db, std::int64_t sweep) {
  auto s = db.prepare(std::string("SELECT ") + kTrialColumns + " FROM sweep_trials WHERE sweep_id = ? ORDER BY trial");
  s.bind(1, sweep);
  std::vector<TrialRecord> trials;
  while (s.step()) trials.push_back(readTrial(s));
  return trials;
}

std::string paramsJson(const TrialRecord& t) {
  json params = json::array();
  for (const auto& [key, value] : t.params) params.push_back({key, value});
  return params.dump();
}

std::string scoresJson(const std::vector<FoldScore>& scores) {
  json list = json::array();
  for (const auto& s : scores) list.push_back({s.fold, s.accuracy});
  return list.dump();
}

void meanAndStd(const std::vector<FoldScore>& scores, double& mean, double& stddev) {
  mean = stddev = 0.0;
  if (scores.empty()) return;
  for (const auto& s : scores) mean += s.accuracy;
  mean /= static_cast<double>(scores.size());
  for (const auto& s : scores) stddev += (s.accuracy - mean) * (s.accuracy - mean);
  stddev = std::sqrt(stddev / static_cast<double>(scores.size()));
}

bool trialLooksDead(const TrialRecord& t, double staleSeconds, double now) {
  static const std::string host = hostName();
  if (t.host == host && t.pid > 0) {
    switch (localProcessState(t.pid, std::max(t.heartbeatAt, t.startedAt))) {
      case LocalProcess::Alive: return false;
      case LocalProcess::Gone: return true;
      case LocalProcess::Unknown: break;
    }
  }
  return now - t.heartbeatAt > staleSeconds;
}

// Back to pending: the attempt's scores go, its run stays in the runs table.
bool release(Database& db, std::int64_t sweep, int trial, const std::string& reason, int attempt = 0) {
  db.prepare("UPDATE sweep_trials SET status = 'pending', scores_json = '[]', mean = NULL, std = NULL, reason = ?, "
             "pid = NULL WHERE sweep_id = ? AND trial = ?" " AND (? = 0 OR (attempts = ? AND status = 'running'))")
      .bind(1, reason)
      .bind(2, sweep)
      .bind(3, trial)
      .bind(4, attempt)
      .bind(5, attempt)
      .run();
  return db.changes() > 0;
}

int releaseDead(Database& db, std::int64_t sweep, double staleSeconds) {
  int released = 0;
  const double now = nowSeconds();
  for (const auto& t : readTrials(db, sweep)) {
    if (t.status != TrialStatus::Running || !trialLooksDead(t, staleSeconds, now)) continue;
    release(db, sweep, t.trial, "its worker " + t.host + ":" + std::to_string(t.pid) + " died; to run again");
    ++released;
  }
  return released;
}

}  // namespace

SweepStore SweepStore::open(const std::string& path, RunStore::Access access) {
  auto runs = RunStore::open(path, access);
  try {
    return SweepStore(std::make_unique<Impl>(std::move(runs), path, access == RunStore::Access::ReadWrite));
  } catch (const SqliteError& e) {
    throw describeWriteError(e, path);
  }
}

SweepStore::SweepStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SweepStore::~SweepStore() = default;
SweepStore::SweepStore(SweepStore&&) noexcept = default;
SweepStore& SweepStore::operator=(SweepStore&&) noexcept = default;

std::int64_t SweepStore::createSweep(const std::string& name, const std::string& specJson, const std::string& baseConfigJson) {
  return impl_->write([&] {
    Transaction tx(impl_->db);
    if (findSweep(name)) throw StoreError("a sweep named '" + name + "' exists already in " + path(), StoreError::Kind::Refused);
    impl_->db.prepare("INSERT INTO sweeps(name, created_at, spec_json, base_config_json) VALUES(?,?,?,?)")
        .bind(1, name)
        .bind(2, nowSeconds())
        .bind(3, specJson)
        .bind(4, baseConfigJson)
        .run();
    const auto id = impl_->db.lastInsertId();
    tx.commit();
    return id;
  });
}

std::vector<SweepRecord> SweepStore::listSweeps() const {
  std::vector<SweepRecord> sweeps;
  if (!impl_->hasTables) return sweeps;
  auto s = impl_->db.prepare("SELECT id, name, created_at, spec_json, base_config_json FROM sweeps ORDER BY id");
  while (s.step()) sweeps.push_back({s.integer(0), s.text(1), s.real(2), s.text(3), s.text(4)});
  return sweeps;
}

std::optional<SweepRecord> SweepStore::findSweep(const std::string& name) const {
  if (!impl_->hasTables) return std::nullopt;
  auto s = impl_->db.prepare("SELECT id, name, created_at, spec_json, base_config_json FROM sweeps WHERE name = ?");
  s.bind(1, name);
  if (!s.step()) return std::nullopt;
  return SweepRecord{s.integer(0), s.text(1), s.real(2), s.text(3), s.text(4)};
}

std::vector<TrialRecord> SweepStore::trials(std::int64_t sweep) const {
  if (!impl_->hasTables) return {};
  return readTrials(impl_->db, sweep);
}

void SweepStore::deleteSweep(std::int64_t sweep) {
  impl_->write([&] {
    Transaction tx(impl_->db);
    impl_->db.prepare("DELETE FROM sweep_trials WHERE sweep_id = ?").bind(1, sweep).run();
    impl_->db.prepare("DELETE FROM sweeps WHERE id = ?").bind(1, sweep).run();
    tx.commit();
  });
}

std::optional<TrialRecord> SweepStore::claimTrial(std::int64_t sweep, int maxTrials, const Proposal& propose) {
  return impl_->write([&]() -> std::optional<TrialRecord> {
    auto& db = impl_->db;
    Transaction tx(db);
    releaseDead(db, sweep, kStaleHeartbeatSeconds);
    auto existing = readTrials(db, sweep);
    std::optional<TrialRecord> claimed;
    for (const auto& t : existing)
      if (t.status == TrialStatus::Pending) {
        claimed = t;
        break;
      }
    if (!claimed) {
      if (maxTrials > 0 && static_cast<int>(existing.size()) >= maxTrials) return std::nullopt;
      TrialRecord fresh = propose(existing, static_cast<int>(existing.size()) + 1);
      fresh.sweepId = sweep;
      fresh.trial = static_cast<int>(existing.size()) + 1;
      db.prepare("INSERT INTO sweep_trials(sweep_id, trial, status, params_json, fold_order) VALUES(?,?,'pending',?,?)")
          .bind(1, sweep)
          .bind(2, fresh.trial)
          .bind(3, paramsJson(fresh))
          .bind(4, json(fresh.foldOrder).dump())
          .run();
      claimed = fresh;
    }
    const double now = nowSeconds();
    claimed->status = TrialStatus::Running;
    claimed->host = hostName();
    claimed->pid = static_cast<int>(::getpid());
    claimed->attempts += 1;
    claimed->startedAt = claimed->heartbeatAt = now;
    claimed->scores.clear();
    claimed->reason.clear();
    db.prepare("UPDATE sweep_trials SET status = 'running', host = ?, pid = ?, attempts = ?, started_at = ?, "
               "heartbeat_at = ?, finished_at = NULL, scores_json = '[]', mean = NULL, std = NULL, reason = NULL "
               "WHERE sweep_id = ? AND trial = ?")
        .bind(1, claimed->host)
        .bind(2, claimed->pid)
        .bind(3, claimed->attempts)
        .bind(4, now)
        .bind(5, now)
        .bind(6, sweep)
        .bind(7, claimed->trial)
        .run();
    tx.commit();
    return claimed;
  });
}

int SweepStore::releaseDeadTrials(std::int64_t sweep, double staleSeconds) {
  return impl_->write([&] {
    Transaction tx(impl_->db);
    const int released = releaseDead(impl_->db, sweep, staleSeconds);
    tx.commit();
    return released;
  });
}

bool SweepStore::linkRun(std::int64_t sweep, int trial, const std::string& runUid, int attempt) {
  return impl_->write([&] {
    impl_->db.prepare("UPDATE sweep_trials SET run_uid = ?, heartbeat_at = ? WHERE sweep_id = ? AND trial = ?" " AND (? = 0 OR (attempts = ? AND status = 'running'))")
        .bind(1, runUid)
        .bind(2, nowSeconds())
        .bind(3, sweep)
        .bind(4, trial)
        .bind(5, attempt)
        .bind(6, attempt)
        .run();
    return impl_->db.changes() > 0;
  });
}

bool SweepStore::recordFold(std::int64_t sweep, int trial, const FoldScore& score, int attempt) {
  return impl_->write([&] {
    auto& db = impl_->db;
    Transaction tx(db);
    auto s = db.prepare("SELECT scores_json FROM sweep_trials WHERE sweep_id = ? AND trial = ?" " AND (? = 0 OR (attempts = ? AND status = 'running'))");
    s.bind(1, sweep).bind(2, trial).bind(3, attempt).bind(4, attempt);
    if (!s.step()) return false;
    std::vector<FoldScore> scores;
    for (const auto& f : json::parse(s.text(0))) scores.push_back({f.at(0).get<int>(), f.at(1).get<double>()});
    scores.push_back(score);
    double mean = 0.0, stddev = 0.0;
    meanAndStd(scores, mean, stddev);
    db.prepare("UPDATE sweep_trials SET scores_json = ?, mean = ?, std = ?, heartbeat_at = ? WHERE sweep_id = ? AND trial = ?")
        .bind(1, scoresJson(scores))
        .bind(2, mean)
        .bind(3, stddev)
        .bind(4, nowSeconds())
        .bind(5, sweep)
        .bind(6, trial)
        .run();
    tx.commit();
    return true;
  });
}

bool SweepStore::heartbeat(std::int64_t sweep, int trial, int attempt) {
  return impl_->write([&] {
    impl_->db.prepare("UPDATE sweep_trials SET heartbeat_at = ? WHERE sweep_id = ? AND trial = ?" " AND (? = 0 OR (attempts = ? AND status = 'running'))")
        .bind(1, nowSeconds())
        .bind(2, sweep)
        .bind(3, trial)
        .bind(4, attempt)
        .bind(5, attempt)
        .run();
    return impl_->db.changes() > 0;
  });
}

bool SweepStore::finishTrial(std::int64_t sweep, int trial, TrialStatus status, const std::string& reason, int attempt) {
  return impl_->write([&] {
    auto& db = impl_->db;
    if (status == TrialStatus::Pending) return release(db, sweep, trial, reason, attempt);
    db.prepare("UPDATE sweep_trials SET status = ?, reason = ?, finished_at = ?, pid = NULL WHERE sweep_id = ? AND trial = ?" " AND (? = 0 OR (attempts = ? AND status = 'running'))")
        .bind(1, std::string(nameOf(status)))
        .bind(2, reason)
        .bind(3, nowSeconds())
        .bind(4, sweep)
        .bind(5, trial)
        .bind(6, attempt)
        .bind(7, attempt)
        .run();
    return db.changes() > 0;
  });
}

std::int64_t SweepStore::dataVersion() const { return impl_->runs.dataVersion(); }

const std::string& SweepStore::path() const { return impl_->db.path(); }

}  // namespace foldbench::tracker
