#include "foldbench/tracker/batched_writer.h"

#include <algorithm>
#include <chrono>

#include "disk_reserve.h"

namespace foldbench::tracker {

BatchedWriter::BatchedWriter(const std::string& path, double flushIntervalSeconds) : interval_(flushIntervalSeconds) {
  thread_ = std::thread(&BatchedWriter::loop, this, path);
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return ready_; });
  if (!error_.empty()) {
    lock.unlock();
    stop_ = true;
    thread_.join();
    throw StoreError(error_);
  }
}

BatchedWriter::~BatchedWriter() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void BatchedWriter::metric(std::int64_t run, MetricPoint point) {
  std::lock_guard lock(mutex_);
  if (pending_.empty() || pending_.back().write || pending_.back().run != run) pending_.push_back({run, {}, nullptr});
  pending_.back().points.push_back(std::move(point));
  ++submitted_;
}

void BatchedWriter::metrics(std::int64_t run, std::vector<MetricPoint> points) {
  std::lock_guard lock(mutex_);
  if (pending_.empty() || pending_.back().write || pending_.back().run != run) pending_.push_back({run, {}, nullptr});
  auto& target = pending_.back().points;
  target.insert(target.end(), std::make_move_iterator(points.begin()), std::make_move_iterator(points.end()));
  ++submitted_;
}

void BatchedWriter::submit(std::function<void(RunStore&)> write) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back({0, {}, std::move(write)});
    ++submitted_;
  }
  wake_.notify_one();
}

void BatchedWriter::trackHeartbeat(std::int64_t run) {
  std::lock_guard lock(mutex_);
  heartbeats_.insert(run);
}

void BatchedWriter::untrackHeartbeat(std::int64_t run) {
  std::lock_guard lock(mutex_);
  heartbeats_.erase(run);
}

void BatchedWriter::flush() {
  std::unique_lock lock(mutex_);
  const auto target = submitted_;
  flushTarget_ = std::max(flushTarget_, target);
  wake_.notify_one();
  done_.wait(lock, [&] { return committed_ >= target || (!error_.empty() && stop_); });
}

std::uint64_t BatchedWriter::pointsWritten() const {
  std::lock_guard lock(mutex_);
  return points_;
}

std::string BatchedWriter::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

bool BatchedWriter::diskFull() const {
  std::lock_guard lock(mutex_);
  return diskFull_;
}

std::uint64_t BatchedWriter::failedWrites() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

std::uint64_t BatchedWriter::writeItems(RunStore& store, std::vector<Item>& items, std::string& failure,
                                        std::uint64_t& failed, std::vector<Item>* full) {
  std::uint64_t points = 0;
  for (auto& item : items) {
    try {
      if (item.write) item.write(store);
      else store.writeMetrics(item.run, item.points);
      points += item.points.size();
    } catch (const StoreError& e) {
      if (failure.empty()) failure = e.what();
      if (full && e.kind() == StoreError::Kind::Io) full->push_back(std::move(item));
      else ++failed;
    } catch (const std::exception& e) {
      ++failed;
      if (failure.empty()) failure = e.what();
    }
  }
  return points;
}

void BatchedWriter::loop(std::string path) {
  std::unique_ptr<RunStore> store;
  try {
    store = std::make_unique<RunStore>(RunStore::open(path));
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    error_ = e.what();
  }
  {
    std::lock_guard lock(mutex_);
    ready_ = true;
  }
  done_.notify_all();
  if (!store) return;

  // Room kept beside the database for the writes that record why a run stopped, should the
  // disk fill up during it (SQLite cannot write a single row on a full disk).
  DiskReserve reserve(path);
  using Clock = std::chrono::steady_clock;
  auto lastBeat = Clock::now() - std::chrono::seconds(2);
  const auto period = std::chrono::duration<double>(interval_);
  while (true) {
    std::vector<Item> items;
    std::vector<std::int64_t> beats;
    std::uint64_t target;
    bool stopping;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, period, [&] { return stop_ || flushTarget_ > committed_; });
      items.swap(pending_);
      target = submitted_;
      stopping = stop_;
      if (Clock::now() - lastBeat >= std::chrono::seconds(1)) beats.assign(heartbeats_.begin(), heartbeats_.end());
    }
    std::string failure;
    std::uint64_t failed = 0;
    std::vector<Item> full;
    auto points = writeItems(*store, items, failure, failed, &full);
    if (!full.empty()) {
      // The disk is full: the reserve makes room for these and for the run's final record. The
      // error stays set, so the run stops (recording/tracked_run.cpp) instead of filling it.
      const bool released = reserve.release();
      std::string again;
      points += writeItems(*store, full, again, failed);
      failure += released ? "; the tracker's reserve was used to record why the run stopped" : "";
      std::lock_guard lock(mutex_);
      diskFull_ = true;
    }
    try {
      if (!beats.empty()) {
        store->heartbeat(beats, nowSeconds());
        lastBeat = Clock::now();
      }
    } catch (const std::exception& e) {
      if (failure.empty()) failure = e.what();
    }
    {
      std::lock_guard lock(mutex_);
      committed_ = target;
      points_ += points;
      failed_ += failed;
      if (!failure.empty() && error_.empty()) error_ = failure;
    }
    done_.notify_all();
    if (stopping) {
      std::lock_guard lock(mutex_);
      if (pending_.empty()) break;
    }
  }
}

}  // namespace foldbench::tracker
