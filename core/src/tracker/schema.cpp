#include "schema.h"

#include <string>

#include "foldbench/tracker/run_store.h"
#include "series_chunks.h"

namespace foldbench::tracker {

namespace {

// Migration N brings a version N-1 database to version N. Never edit a released migration;
// add the next one.
const char* const kMigrations[] = {
    // 1: the first release.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE experiments(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE runs(
  id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, experiment_id INTEGER NOT NULL, name TEXT,
  status TEXT NOT NULL, created_at REAL, finished_at REAL, heartbeat_at REAL, config_json TEXT, seed INTEGER,
  app_version TEXT, torch_version TEXT, host TEXT, device TEXT, threads INTEGER, pid INTEGER,
  data_fingerprint TEXT, run_dir TEXT, error TEXT);
CREATE INDEX runs_created ON runs(created_at);
CREATE INDEX runs_status ON runs(status);
CREATE TABLE params(run_id INTEGER NOT NULL, key TEXT NOT NULL, text TEXT, num REAL,
  PRIMARY KEY(run_id, key)) WITHOUT ROWID;
CREATE TABLE fields(run_id INTEGER NOT NULL, key TEXT NOT NULL, text TEXT, num REAL,
  PRIMARY KEY(run_id, key)) WITHOUT ROWID;
CREATE TABLE folds(run_id INTEGER NOT NULL, fold INTEGER NOT NULL, status TEXT, best_epoch INTEGER,
  train_acc REAL, val_acc REAL, val_micro_f1 REAL, val_loss REAL, checkpoint TEXT,
  PRIMARY KEY(run_id, fold)) WITHOUT ROWID;
CREATE TABLE series_names(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE metrics(run_id INTEGER NOT NULL, series_id INTEGER NOT NULL, step INTEGER NOT NULL,
  epoch INTEGER, value REAL, time REAL, PRIMARY KEY(run_id, series_id, step)) WITHOUT ROWID;
CREATE TABLE artifacts(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, path TEXT NOT NULL, kind TEXT,
  size INTEGER, sha256 TEXT, created_at REAL);
CREATE INDEX artifacts_run ON artifacts(run_id);
CREATE TABLE tags(run_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY(run_id, tag)) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags(tag);
CREATE TABLE notes(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, created_at REAL, text TEXT);
CREATE INDEX notes_run ON notes(run_id);
INSERT INTO meta(key, value) VALUES('app', 'foldbench');
)sql",
    // 2: per-series summaries, so listing and comparing runs never scans the series, and
    // series stored in chunks of packed points (series_chunks.h); convertMetricRows() moves
    // the version 1 rows over before the row table is dropped.
    R"sql(
CREATE TABLE series_summary(run_id INTEGER NOT NULL, series_id INTEGER NOT NULL, last_step INTEGER,
  last REAL, min REAL, max REAL, sum REAL, count INTEGER, PRIMARY KEY(run_id, series_id)) WITHOUT ROWID;
INSERT INTO series_summary
  SELECT m.run_id, m.series_id, MAX(m.step),
         (SELECT x.value FROM metrics x WHERE x.run_id = m.run_id AND x.series_id = m.series_id
          ORDER BY x.step DESC LIMIT 1),
         MIN(m.value), MAX(m.value), SUM(m.value), COUNT(*)
  FROM metrics m GROUP BY m.run_id, m.series_id;
CREATE INDEX fields_key_num ON fields(key, num);
CREATE TABLE metric_chunks(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, series_id INTEGER NOT NULL,
  first_step INTEGER NOT NULL, last_step INTEGER NOT NULL, count INTEGER NOT NULL, points BLOB NOT NULL);
CREATE INDEX metric_chunks_series ON metric_chunks(run_id, series_id, first_step);
)sql",
    // 3: run ids are never reused (AUTOINCREMENT): a writer still holding a deleted run's id
    // must not add to the next run created.
    R"sql(
CREATE TABLE runs_v3(
  id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, experiment_id INTEGER NOT NULL, name TEXT,
  status TEXT NOT NULL, created_at REAL, finished_at REAL, heartbeat_at REAL, config_json TEXT, seed INTEGER,
  app_version TEXT, torch_version TEXT, host TEXT, device TEXT, threads INTEGER, pid INTEGER,
  data_fingerprint TEXT, run_dir TEXT, error TEXT);
INSERT INTO runs_v3(id, uid, experiment_id, name, status, created_at, finished_at, heartbeat_at, config_json, seed,
  app_version, torch_version, host, device, threads, pid, data_fingerprint, run_dir, error)
  SELECT id, uid, experiment_id, name, status, created_at, finished_at, heartbeat_at, config_json, seed,
  app_version, torch_version, host, device, threads, pid, data_fingerprint, run_dir, error FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v3 RENAME TO runs;
CREATE INDEX runs_created ON runs(created_at);
CREATE INDEX runs_status ON runs(status);
)sql",
    // 4: sweeps and their trials (sweep_store.h). A trial's runs stay in the runs table; the
    // trial names its latest by uid, so deleting a run never breaks a sweep.
    R"sql(
CREATE TABLE sweeps(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, created_at REAL,
  spec_json TEXT NOT NULL, base_config_json TEXT NOT NULL);
CREATE TABLE sweep_trials(sweep_id INTEGER NOT NULL, trial INTEGER NOT NULL, status TEXT NOT NULL,
  params_json TEXT NOT NULL, fold_order TEXT NOT NULL, scores_json TEXT NOT NULL DEFAULT '[]',
  mean REAL, std REAL, reason TEXT, run_uid TEXT, host TEXT, pid INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
  heartbeat_at REAL, started_at REAL, finished_at REAL, PRIMARY KEY(sweep_id, trial)) WITHOUT ROWID;
CREATE INDEX sweep_trials_run ON sweep_trials(run_uid);
)sql",
};
static_assert(sizeof kMigrations / sizeof kMigrations[0] == kSchemaVersion, "one migration per schema version");

}  // namespace

int storedSchemaVersion(Database& db) {
  auto tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  tables.step();
  if (tables.integer(0) == 0) return 0;
  auto version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  return version.step() ? std::stoi(version.text(0)) : 0;
}

namespace {

void convertMetricRows(Database& db) {
  std::vector<std::pair<std::int64_t, std::int64_t>> series;
  auto list = db.prepare("SELECT DISTINCT run_id, series_id FROM metrics");
  while (list.step()) series.emplace_back(list.integer(0), list.integer(1));
  for (const auto& [run, id] : series) {
    auto rows = db.prepare("SELECT step, epoch, value, time FROM metrics WHERE run_id = ? AND series_id = ? ORDER BY step");
    rows.bind(1, run).bind(2, id);
    std::vector<PackedPoint> points;
    while (rows.step())
      points.push_back({rows.integer(0), rows.real(2), rows.real(3), static_cast<std::int32_t>(rows.integer(1)), 0});
    appendChunks(db, run, id, std::move(points));
  }
  db.exec("DROP TABLE metrics");
}

}  // namespace

void migrate(Database& db, int target) {
  Transaction tx(db);
  for (int v = storedSchemaVersion(db) + 1; v <= target; ++v) {
    db.exec(kMigrations[v - 1]);
    if (v == 2) convertMetricRows(db);
  }
  db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)").bind(1, std::to_string(target)).run();
  tx.commit();
}

}  // namespace foldbench::tracker
