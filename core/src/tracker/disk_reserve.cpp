#include "disk_reserve.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace foldbench::tracker {

namespace fs = std::filesystem;

namespace {

constexpr const char* kInfix = ".reserve-";

// "<host>-" : a tracker on a shared file system sees reserves of other hosts, whose pids mean
// nothing here.
std::string hostPart() {
  char name[256] = {0};
  ::gethostname(name, sizeof name - 1);
  return std::string(name) + "-";
}

// Reserves left by processes that no longer exist (killed before they could remove theirs).
void removeStaleReserves(const std::string& databasePath) {
  const fs::path db(databasePath);
  const std::string prefix = db.filename().string() + kInfix + hostPart();
  std::error_code ec;
  const fs::path dir = db.has_parent_path() ? db.parent_path() : fs::path(".");
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const int pid = std::atoi(name.c_str() + prefix.size());
    if (pid > 0 && ::kill(pid, 0) == -1 && errno == ESRCH) fs::remove(it->path(), ec);
  }
}

}  // namespace

DiskReserve::DiskReserve(const std::string& databasePath, long bytes)
    : path_(databasePath + kInfix + hostPart() + std::to_string(::getpid())) {
  removeStaleReserves(databasePath);
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  // Blocks really taken, not a sparse file: posix_fallocate fails when they are not there.
  held_ = ::posix_fallocate(fd, 0, bytes) == 0;
  ::close(fd);
  if (!held_) ::unlink(path_.c_str());
}

DiskReserve::~DiskReserve() { release(); }

bool DiskReserve::release() {
  if (!held_) return false;
  held_ = false;
  ::unlink(path_.c_str());
  return true;
}

}  // namespace foldbench::tracker
