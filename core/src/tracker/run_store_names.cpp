// RunStore: the names runs hold, for checking the names users type.
#include "foldbench/tracker/run_store.h"

#include "run_store_impl.h"
#include "sqlite_db.h"

namespace foldbench::tracker {

namespace {

std::set<std::string> distinct(Database& db, const char* sql) {
  std::set<std::string> keys;
  auto s = db.prepare(sql);
  while (s.step()) keys.insert(s.text(0));
  return keys;
}

}  // namespace

std::set<std::string> RunStore::fieldKeys() const { return distinct(impl_->db, "SELECT DISTINCT key FROM fields"); }

std::set<std::string> RunStore::paramKeys() const { return distinct(impl_->db, "SELECT DISTINCT key FROM params"); }

}  // namespace foldbench::tracker
