#pragma once
// Every file a run leaves (checkpoints, oof.tsv, summary.json, fold results, submissions,
// caches) is written here: to a temporary name beside it, through checked write calls, then
// fsynced and renamed over the old file. A full disk, a quota or an I/O error becomes a
// DiskWriteError naming the path and, where known, the space needed and free; the temporary
// file is removed and the old file (an earlier best checkpoint, say) stays whole.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

namespace foldbench::platform {

class DiskWriteError : public std::runtime_error {
 public:
  DiskWriteError(const std::string& message, int errorNumber) : std::runtime_error(message), errno_(errorNumber) {}
  int errorNumber() const { return errno_; }
  // ENOSPC, EDQUOT or EFBIG: no room, rather than a broken device.
  bool outOfSpace() const;

 private:
  int errno_;
};

// Free bytes for an unprivileged user on the file system holding `path` (or its nearest
// existing parent); -1 when unknown.
std::int64_t freeBytes(const std::string& path);

// "cannot write <path>: No space left on device (needed about 12 MB, 3.1 MB free)".
std::string describeWriteFailure(const std::string& path, int errorNumber, std::int64_t bytesNeeded);

class AtomicFile {
 public:
  // Opens a unique temporary file beside `path` (several writers never share one).
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t bytes);  // throws DiskWriteError
  void write(const std::string& text) { write(text.data(), text.size()); }
  // For callbacks that must not throw (LibTorch's serializer, whose writer throws from a
  // destructor on a short write): keeps the first error for commit() and reports success.
  std::size_t writeOrRemember(const void* data, std::size_t bytes) noexcept;
  // Flushes, fsyncs and renames over `path`; throws the first error met, removing the
  // temporary file. `overwrite` false: refuses when `path` exists.
  void commit(bool overwrite = true);

  const std::string& path() const { return path_; }

 private:
  void fail(int errorNumber);
  std::string path_, tmp_;
  int fd_ = -1;
  std::int64_t written_ = 0;
  int deferredErrno_ = 0;
  bool committed_ = false;
};

// The whole of `bytes` as `path`, atomically. `overwrite` false: refuses when `path` exists.
void writeFileAtomically(const std::string& path, const std::string& bytes, bool overwrite = true);

// The same for text `fill` writes to a stream in the classic locale (numbers with a '.'
// whatever the process locale), built in memory first; refused before `fill` runs when
// `overwrite` is false and `path` exists.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& fill,
                         bool overwrite = true);

// "6.4 MB", "120 MB": sizes in the messages about disk space.
std::string formatMegabytes(std::int64_t bytes);

}  // namespace foldbench::platform
