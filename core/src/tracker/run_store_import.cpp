// RunStore: importing the runs of another store (cluster jobs), idempotently.
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
