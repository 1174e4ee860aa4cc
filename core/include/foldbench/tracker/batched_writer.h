#pragma once
// All tracker writes of a process go through one background thread with its own connection:
// callers only append to a buffer under a mutex, so the training thread never waits on disk.
// Buffered writes are committed at least every `flushInterval` in one transaction each, and
// every run it tracks gets a heartbeat each second.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "foldbench/tracker/run_store.h"

namespace foldbench::tracker {

class BatchedWriter {
 public:
  explicit BatchedWriter(const std::string& path, double flushIntervalSeconds = 0.25);
  ~BatchedWriter();  // writes everything still buffered, then stops
  BatchedWriter(const BatchedWriter&) = delete;
  BatchedWriter& operator=(const BatchedWriter&) = delete;

  void metric(std::int64_t run, MetricPoint point);
  void metrics(std::int64_t run, std::vector<MetricPoint> points);
  // Any other write, applied in order with the metrics around it.
  void submit(std::function<void(RunStore&)> write);
  void trackHeartbeat(std::int64_t run);
  void untrackHeartbeat(std::int64_t run);
  // Blocks until everything submitted before the call is committed.
  void flush();

  std::uint64_t pointsWritten() const;  // committed points only
  // The first write error, if any (errors never reach the training thread as exceptions). A
  // failing write is skipped alone: the writes around it are still made.
  std::string error() const;
  // True once a write failed because the disk (or the file size limit) is full: a run stops
  // then, rather than train on unrecorded. Other failures (a lock held too long) are counted.
  bool diskFull() const;
  std::uint64_t failedWrites() const;

 private:
  struct Item {
    std::int64_t run = 0;
    std::vector<MetricPoint> points;
    std::function<void(RunStore&)> write;
  };
  void loop(std::string path);
  // Returns the points written; the first error goes to `failure`.
  // Items that failed because the disk is full go to `full`, to be tried again once the
  // reserve is released.
  std::uint64_t writeItems(RunStore& store, std::vector<Item>& items, std::string& failure, std::uint64_t& failed,
                           std::vector<Item>* full = nullptr);

  double interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<Item> pending_;
  std::set<std::int64_t> heartbeats_;
  bool stop_ = false;
  std::uint64_t submitted_ = 0, committed_ = 0, points_ = 0, failed_ = 0;
  std::uint64_t flushTarget_ = 0;  // a flush() waits for this many submissions: write now
  std::string error_;
  bool diskFull_ = false;
  bool ready_ = false;
  std::thread thread_;
};

}  // namespace foldbench::tracker
