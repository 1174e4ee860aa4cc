// Tracker figures, in one run on a fresh file: metric points written per second through the
// batched writer, time to list 10,000 runs with summary columns, time to read a 1,000,000-point
// series.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "foldbench/tracker/batched_writer.h"
#include "foldbench/tracker/run_store.h"

using namespace foldbench::tracker;
using Clock = std::chrono::steady_clock;

static double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int main() {
  const auto dir = std::filesystem::temp_directory_path() / "foldbench-bench-tracker";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "experiments.db").string();

  std::int64_t run;
  {
    auto store = RunStore::open(path);
    RunInfo info;
    info.uid = "bench-series";
    info.createdAt = nowSeconds();
    info.host = hostName();
    run = store.createRun(info, {});
  }

  // 1. Points through the batched writer, as a training thread would send them (4 per step).
  const int steps = 250000;
  double writeSeconds, enqueueSeconds;
  {
    BatchedWriter writer(path);
    const auto start = Clock::now();
    for (int s = 0; s < steps; ++s) {
      const double t = 1.7e9 + s * 0.01;
      writer.metrics(run, {{"fold/0/batch/loss", s, s / 1000, 1.0 / (1 + s), t},
                           {"fold/0/batch/acc", s, s / 1000, 0.5, t},
                           {"fold/0/lr", s, s / 1000, 1e-3, t},
                           {"fold/0/examples_per_second", s, s / 1000, 900.0, t}});
    }
    enqueueSeconds = secondsSince(start);
    writer.flush();
    writeSeconds = secondsSince(start);
    if (!writer.error().empty()) std::printf("writer error: %s\n", writer.error().c_str());
  }
  const double pointsPerSecond = 4.0 * steps / writeSeconds;

  // 2. 10,000 runs with their summary fields.
  {
    auto store = RunStore::open(path);
    for (int i = 0; i < 10000; ++i) {
      RunInfo info;
      info.uid = "run-" + std::to_string(i);
      info.name = i % 3 ? "klue" : "sample";
      info.status = foldbench::RunStatus::Finished;
      info.createdAt = 1.7e9 + i;
      info.host = hostName();
      const auto id = store.createRun(info, {{"train.lr", "0.001"}, {"model.family", "ngram"}});
      store.setFields(id, {{"cv/val/acc/mean", 0.5 + (i % 100) / 1000.0, ""},
                           {"cv/val/acc/std", 0.01, ""},
                           {"cv/val/micro_f1/mean", 0.4, ""}});
    }
  }
  auto store = RunStore::open(path, RunStore::Access::ReadOnly);
  ListQuery query;
  query.limit = 0;
  query.fields = {"cv/val/acc/mean", "cv/val/acc/std", "cv/val/micro_f1/mean"};
  double listSeconds = 1e9;
  std::size_t listed = 0;
  for (int round = 0; round < 3; ++round) {
    const auto start = Clock::now();
    listed = store.listRuns(query).size();
    listSeconds = std::min(listSeconds, secondsSince(start));
  }

  // 3. A 1,000,000-point series (4 series x 250,000 were written; write one more of 1M).
  {
    BatchedWriter writer(path);
    for (int s = 0; s < 1000000; s += 1000) {
      std::vector<MetricPoint> points;
      for (int k = s; k < s + 1000; ++k) points.push_back({"fold/0/long", k, 0, k * 1e-6, 0});
      writer.metrics(run, std::move(points));
    }
    writer.flush();
  }
  double readSeconds = 1e9;
  std::size_t read = 0;
  for (int round = 0; round < 3; ++round) {
    const auto start = Clock::now();
    read = store.series(run, "fold/0/long").size();
    readSeconds = std::min(readSeconds, secondsSince(start));
  }

  std::printf("metric points through the batched writer  %10.0f points/s  (%.1fx the 200,000 target, %.0fx MLflow's ~8,000/s)\n",
              pointsPerSecond, pointsPerSecond / 200000.0, pointsPerSecond / 8000.0);
  std::printf("  the training thread spent %.3f s enqueueing %d points (%.2f us per step)\n", enqueueSeconds, 4 * steps,
              enqueueSeconds / steps * 1e6);
  std::printf("list %zu runs with 3 summary columns        %10.1f ms        (target 200 ms: %.2fx)\n", listed,
              listSeconds * 1e3, listSeconds * 1e3 / 200.0);
  std::printf("read a %zu-point series                  %10.1f ms        (target 200 ms: %.2fx)\n", read,
              readSeconds * 1e3, readSeconds * 1e3 / 200.0);
  std::filesystem::remove_all(dir);
  return 0;
}
