#pragma once
// A file of zeros kept beside a tracker while a run writes to it. When the disk fills up,
// SQLite cannot write even the one row that says the run failed; releasing the reserve frees
// room for that row and for the last metric batch, so no run is left "running" and no batch
// is dropped silently. Reserves of processes of this host that died are removed at the next
// start.
#include <string>

namespace foldbench::tracker {

class DiskReserve {
 public:
  explicit DiskReserve(const std::string& databasePath, long bytes = 512 * 1024);
  ~DiskReserve();
  DiskReserve(const DiskReserve&) = delete;
  DiskReserve& operator=(const DiskReserve&) = delete;
  // Removes the reserve; false when there was none (the disk was already too full for it).
  bool release();

 private:
  std::string path_;
  bool held_ = false;
};

}  // namespace foldbench::tracker
