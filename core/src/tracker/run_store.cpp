// RunStore: opening (inspection, migration, crashed runs), lifecycle, snapshots.
#include "foldbench/tracker/run_store.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "foldbench/tracker/filter.h"
#include "foldbench/util/numbers.h"
#include "file_system_kind.h"
#include "process_liveness.h"
#include "schema.h"
#include "series_chunks.h"
#include "run_store_impl.h"
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
bool inspectFile(const std::string& path) {
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

// inspectFile, leaving nothing beside a file it refuses as damaged or foreign: opening a file
// whose header says WAL makes SQLite create <file>-wal and <file>-shm. Only files that were not
// there before go, and a -wal only while empty (one with content holds someone's commits).
bool inspectExisting(const std::string& path) {
  const std::string wal = path + "-wal", shm = path + "-shm";
  const bool walBefore = fs::exists(wal), shmBefore = fs::exists(shm);
  try {
    return inspectFile(path);
  } catch (const StoreError& e) {
    if (e.kind() == StoreError::Kind::Corrupt || e.kind() == StoreError::Kind::NotATracker) {
      std::error_code ec;
      const bool walOurs = !walBefore && fs::exists(wal, ec) && fs::file_size(wal, ec) == 0 && !ec;
      if (walOurs) fs::remove(wal, ec);
      if (!shmBefore && (walOurs || !fs::exists(wal, ec))) fs::remove(shm, ec);
    }
    throw;
  }
}


// WAL where every connection is on this host; the rollback journal on a network file system,
// where tasks on other nodes, or the window on a login node, may open the same file. A WAL
// database found on a network file system is switched over; a rollback-journal database is
// never switched back to WAL (the NFS server sees the same file as local while clients use
// it), so only a new database starts in WAL. Returns whether the file is on a network.
bool setJournalMode(Database& db, const std::string& path, bool created) {
  const bool network = fileSystemKind(path) == FileSystemKind::Network;
  std::string mode;
  {
    auto current = db.prepare("PRAGMA journal_mode");  // finalized before the mode may change
    mode = current.step() ? current.text(0) : std::string();
  }
  if (!network && !(created || mode == "wal")) return false;
  auto set = db.prepare(network ? "PRAGMA journal_mode = DELETE" : "PRAGMA journal_mode = WAL");
  const std::string got = set.step() ? set.text(0) : std::string();
  if (network && got == "wal")
    throw StoreError(path + " is on a network file system but still in WAL mode, which another process keeps open; "
                     "close the other Foldbench processes using it and try again",
                     StoreError::Kind::Busy);
  return network;
}

// A read-only connection cannot change the journal: a WAL tracker on a network file system is
// switched over by a short read-write connection first, before the window's readers stay open.
void switchBeforeReading(const std::string& path) {
  if (fileSystemKind(path) != FileSystemKind::Network) return;
  try {
    Database db(path, Database::Mode::ReadWrite, false);
    setJournalMode(db, path, false);
  } catch (const std::exception&) {
    // Read-only files, or another process holding it: the reader still opens, as before.
  }
}

}  // namespace

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
  if (access == Access::ReadOnly) switchBeforeReading(path);
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
      // NORMAL is safe with WAL; with the rollback journal only FULL survives a power loss.
      const bool network = setJournalMode(impl->db, path, !initialised);
      impl->db.exec(network ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
      if (storedSchemaVersion(impl->db) < kSchemaVersion) migrate(impl->db, kSchemaVersion);
    } catch (const SqliteError& e) {
      throw describeWriteError(e, path);
    }
  }
  RunStore store(std::move(impl));
  if (access == Access::ReadWrite) {
    try {
      store.markCrashedRuns(kStaleHeartbeatSeconds, nowSeconds());
    } catch (const StoreError& e) {
      // A full disk must not lock the user out of their runs: the views show dead runs as
      // crashed without this write, and the next write that matters reports the disk.
      if (e.kind() != StoreError::Kind::Io) throw;
    }
  }
  return store;
}

namespace {
// The run's own process on this host: alive means alive, however old its heartbeat.
LocalProcess ownProcess(const RunInfo& info) {
  static const std::string host = hostName();
  if (info.host != host || info.pid <= 0) return LocalProcess::Unknown;
  // The run's process wrote its last heartbeat after it started; one started later reuses the pid.
  return localProcessState(info.pid, std::max(info.heartbeatAt, info.createdAt));
}
}  // namespace

bool runLooksDead(const RunInfo& info, double staleSeconds, double now) {
  // A cluster run's tasks may wait in the queue for hours between heartbeats; its merge job,
  // which the scheduler runs whatever happens to the tasks, settles its status instead.
  if (isClusterRun(info) || info.status != RunStatus::Running) return false;
  switch (ownProcess(info)) {
    case LocalProcess::Alive: return false;
    case LocalProcess::Gone: return true;
    case LocalProcess::Unknown: return now - info.heartbeatAt > staleSeconds;
  }
  return false;
}

int RunStore::markCrashedRuns(double staleSeconds, double now) {
  return impl_->write([&] {
    std::vector<std::pair<std::int64_t, RunInfo>> running;
    auto s = impl_->db.prepare("SELECT id, host, pid, heartbeat_at, created_at FROM runs WHERE status = 'running'");
    while (s.step()) {
      RunInfo info;
      info.status = RunStatus::Running;
      info.host = s.text(1);
      info.pid = static_cast<int>(s.integer(2));
      info.heartbeatAt = s.real(3);
      info.createdAt = s.real(4);
      running.emplace_back(s.integer(0), info);
    }
    int crashed = 0;
    auto mark = impl_->db.prepare(
        "UPDATE runs SET status = 'crashed', finished_at = heartbeat_at, error = ? WHERE id = ? AND status = 'running'");
    for (const auto& [id, info] : running) {
      if (!runLooksDead(info, staleSeconds, now)) continue;
      mark.bind(1, ownProcess(info) == LocalProcess::Gone ? "the training process ended without finishing the run"
                                     : "no heartbeat for " + std::to_string(static_cast<long>(now - info.heartbeatAt)) + " s")
          .bind(2, id)
          .run();
      ++crashed;
    }
    return crashed;
  });
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

}  // namespace foldbench::tracker
