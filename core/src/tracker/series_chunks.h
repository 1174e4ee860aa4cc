#pragma once
// Private: metric series are stored in chunks, one row per (run, series, flush) holding the
// points as a packed little-endian blob. Reading a 1,000,000-point series then touches about a
// thousand rows instead of a million (a row per point read at ~3 points/us at best).
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "foldbench/tracker/records.h"
#include "sqlite_db.h"

namespace foldbench::tracker {

inline constexpr std::size_t kMaxChunkPoints = 4096;

struct PackedPoint {
  std::int64_t step;
  double value;
  double time;
  std::int32_t epoch;
  std::int32_t reserved;
};
static_assert(sizeof(PackedPoint) == 32, "the chunk format is 32 bytes a point");

// Appends points (any order) of one series as chunks of at most kMaxChunkPoints.
void appendChunks(Database& db, std::int64_t run, std::int64_t series, std::vector<PackedPoint> points);

// The points of a series after `afterStep`, sorted by step; a step written twice keeps the
// value written last. Chunks that end at or before `afterStep` are not read.
std::vector<PackedPoint> readSeries(Database& db, std::int64_t run, std::int64_t series,
                                    std::int64_t afterStep = INT64_MIN);

}  // namespace foldbench::tracker
