#include "foldbench/platform/atomic_file.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <locale>
#include <sstream>

namespace foldbench::platform {

namespace fs = std::filesystem;

namespace {

std::string parentOf(const std::string& path) {
  const auto parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

void syncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // the rename survives a crash; a failure here loses nothing already renamed
  ::close(fd);
}

}  // namespace

std::string formatMegabytes(std::int64_t bytes) {
  char text[32];
  const double mb = static_cast<double>(bytes) / 1e6;
  std::snprintf(text, sizeof text, mb < 10 ? "%.1f MB" : "%.0f MB", mb);
  return text;
}

bool DiskWriteError::outOfSpace() const { return errno_ == ENOSPC || errno_ == EDQUOT || errno_ == EFBIG; }

std::int64_t freeBytes(const std::string& path) {
  fs::path at = path.empty() ? fs::path(".") : fs::path(path);
  std::error_code ec;
  while (!at.empty() && !fs::exists(at, ec)) at = at.parent_path();
  struct statvfs info {};
  if (::statvfs(at.empty() ? "." : at.c_str(), &info) != 0) return -1;
  return static_cast<std::int64_t>(info.f_bavail) * static_cast<std::int64_t>(info.f_frsize);
}

std::string describeWriteFailure(const std::string& path, int errorNumber, std::int64_t bytesNeeded) {
  std::string message = "cannot write " + path + ": " + std::strerror(errorNumber);
  if (errorNumber == ENOSPC || errorNumber == EDQUOT || errorNumber == EFBIG) {
    const auto free = freeBytes(path);
    std::string sizes;
    if (bytesNeeded > 0) sizes = "needed at least " + formatMegabytes(bytesNeeded);
    if (free >= 0) sizes += (sizes.empty() ? "" : ", ") + formatMegabytes(free) + " free";
    if (errorNumber == EFBIG) sizes += (sizes.empty() ? "" : ", ") + std::string("over the file size limit (ulimit -f)");
    if (!sizes.empty()) message += " (" + sizes + ")";
  }
  return message;
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  // O_EXCL settles any clash (even between hosts on a shared folder); the name makes clashes rare.
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
    tmp_ = path_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0 && errno != EEXIST) break;
  }
  if (fd_ < 0) throw DiskWriteError(describeWriteFailure(path_, errno, 0), errno);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(tmp_.c_str());
}

void AtomicFile::fail(int errorNumber) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_.c_str());
  throw DiskWriteError(describeWriteFailure(path_, errorNumber, written_), errorNumber);
}

void AtomicFile::write(const void* data, std::size_t bytes) {
  if (deferredErrno_) fail(deferredErrno_);
  const auto* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::write(fd_, p, bytes);
    if (n < 0) {
      if (errno == EINTR) continue;
      written_ += static_cast<std::int64_t>(bytes);  // what it still needed
      fail(errno);
    }
    p += n;
    bytes -= static_cast<std::size_t>(n);
    written_ += n;
  }
}

std::size_t AtomicFile::writeOrRemember(const void* data, std::size_t bytes) noexcept {
  if (deferredErrno_) {
    written_ += static_cast<std::int64_t>(bytes);
    return bytes;
  }
  const auto* p = static_cast<const char*>(data);
  std::size_t left = bytes;
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      deferredErrno_ = errno;
      written_ += static_cast<std::int64_t>(left);
      return bytes;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
    written_ += n;
  }
  return bytes;
}

void AtomicFile::commit(bool overwrite) {
  if (deferredErrno_) fail(deferredErrno_);
  if (::fsync(fd_) != 0) fail(errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(errno);
  if (!overwrite && fs::exists(path_)) {
    ::unlink(tmp_.c_str());
    throw std::runtime_error(path_ + " exists; pass --force to replace it");
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) fail(errno);
  committed_ = true;
  syncDirectory(parentOf(path_));
}

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& fill, bool overwrite) {
  if (!overwrite && fs::exists(path)) throw std::runtime_error(path + " exists; pass --force to replace it");
  std::ostringstream out;
  out.imbue(std::locale::classic());
  fill(out);
  writeFileAtomically(path, out.str(), overwrite);
}

void writeFileAtomically(const std::string& path, const std::string& bytes, bool overwrite) {
  if (!overwrite && fs::exists(path)) throw std::runtime_error(path + " exists; pass --force to replace it");
  AtomicFile file(path);
  file.write(bytes);
  file.commit(overwrite);
}

}  // namespace foldbench::platform
