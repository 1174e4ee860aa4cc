#include "series_chunks.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace foldbench::tracker {

void appendChunks(Database& db, std::int64_t run, std::int64_t series, std::vector<PackedPoint> points) {
  std::stable_sort(points.begin(), points.end(), [](const PackedPoint& a, const PackedPoint& b) { return a.step < b.step; });
  auto insert = db.prepare(
      "INSERT INTO metric_chunks(run_id, series_id, first_step, last_step, count, points) VALUES(?,?,?,?,?,?)");
  for (std::size_t start = 0; start < points.size(); start += kMaxChunkPoints) {
    const std::size_t n = std::min(kMaxChunkPoints, points.size() - start);
    insert.bind(1, run).bind(2, series).bind(3, points[start].step).bind(4, points[start + n - 1].step);
    insert.bind(5, static_cast<std::int64_t>(n));
    insert.bindBlob(6, points.data() + start, n * sizeof(PackedPoint));
    insert.run();
  }
}

std::vector<PackedPoint> readSeries(Database& db, std::int64_t run, std::int64_t series, std::int64_t afterStep) {
  auto s = db.prepare(
      "SELECT points FROM metric_chunks WHERE run_id = ? AND series_id = ? AND last_step > ? ORDER BY id");
  s.bind(1, run).bind(2, series).bind(3, afterStep);
  std::vector<PackedPoint> out;
  bool sorted = true;
  while (s.step()) {
    const auto [data, bytes] = s.blob(0);
    const std::size_t n = bytes / sizeof(PackedPoint);
    const std::size_t before = out.size();
    out.resize(before + n);
    std::memcpy(out.data() + before, data, n * sizeof(PackedPoint));
    if (before > 0 && n > 0 && out[before].step <= out[before - 1].step) sorted = false;
  }
  if (!sorted) {
    // Chunks are read in write order; overlapping ones (a step logged again later, or a resumed
    // run) are put in step order, stably, so the latest write of a step comes last and wins.
    std::stable_sort(out.begin(), out.end(), [](const PackedPoint& a, const PackedPoint& b) { return a.step < b.step; });
    std::vector<PackedPoint> unique;
    unique.reserve(out.size());
    for (const auto& p : out) {
      if (!unique.empty() && unique.back().step == p.step) unique.back() = p;
      else unique.push_back(p);
    }
    out.swap(unique);
  }
  // A chunk that ends after `afterStep` may begin before it.
  out.erase(out.begin(), std::find_if(out.begin(), out.end(), [&](const PackedPoint& p) { return p.step > afterStep; }));
  return out;
}

}  // namespace foldbench::tracker
