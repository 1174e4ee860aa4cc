#pragma once
// Private: each run's fold probabilities on a test file, kept in the run directory
// (predictions/<sha256 of the test file>.bin) so another export of the same file with another
// vote reads no checkpoint. Little-endian binary: "FBPC", version, folds, rows, classes, the
// full sha256, the fold numbers, each fold's checkpoint digest (16 hex characters), then
// rows x classes float32 per fold. The checkpoint digests are part of the key because a
// resubmitted cluster run retrains a fold in place: its best.pt changes, its path does not.
#include <optional>
#include <string>
#include <vector>

#include "foldbench/ensemble/voting.h"

namespace foldbench::ensemble {

struct CachedFolds {
  std::vector<int> folds;
  std::vector<Probabilities> probabilities;  // one per fold
  std::vector<std::string> checkpointDigests;  // one per fold: checkpointDigest of its best.pt
};

// The content digest of a checkpoint file (FNV-1a, as data fingerprints: a key, not a seal).
std::string checkpointDigest(const std::string& checkpointPath);

std::string cachePath(const std::string& runDir, const std::string& testSha256);

// The cached folds when the file exists and matches the key, the folds, rows and classes
// exactly; nothing otherwise (a stale or damaged cache is ignored, never trusted).
// checkpointDigests: one per fold, compared with the cached ones; empty when the checkpoints
// are gone (a pruned run), where the cache is all that is left and is taken as it is.
std::optional<CachedFolds> readCache(const std::string& path, const std::string& testSha256,
                                     const std::vector<int>& folds, const std::vector<std::string>& checkpointDigests,
                                     std::size_t rows, std::size_t classes);

// Written to a temporary file and renamed.
void writeCache(const std::string& path, const std::string& testSha256, const CachedFolds& cached);

}  // namespace foldbench::ensemble
