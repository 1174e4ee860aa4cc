#pragma once
// A folder on a file system that holds only a given number of bytes, to meet a full disk for
// real. As root: a tmpfs of that size mounted over the folder in a mount namespace of this
// process's own (nothing outside the test sees it). Otherwise: a file size limit
// (RLIMIT_FSIZE, with SIGXFSZ ignored so a write past it fails with EFBIG instead of killing
// the process). When neither can be had, ready() is false and whyNot() says why: the test
// skips, saying so.
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <string>

namespace foldbench::testing {

class SmallDisk {
 public:
  SmallDisk(const std::string& dir, std::size_t bytes) : dir_(dir) {
    std::filesystem::create_directories(dir);
    if (::geteuid() == 0 && ::unshare(CLONE_NEWNS) == 0 &&
        ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0) {
      const std::string options = "size=" + std::to_string(bytes);
      if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0) {
        mounted_ = true;
        how_ = "a " + std::to_string(bytes / 1024) + " KiB tmpfs";
        return;
      }
      whyNot_ = std::string("mounting a tmpfs failed: ") + std::strerror(errno);
    } else {
      whyNot_ = ::geteuid() == 0 ? std::string("no private mount namespace: ") + std::strerror(errno) : "not root";
    }
    if (::getrlimit(RLIMIT_FSIZE, &previous_) == 0) {
      rlimit limit = previous_;
      limit.rlim_cur = bytes;
      previousSignal_ = std::signal(SIGXFSZ, SIG_IGN);
      if (::setrlimit(RLIMIT_FSIZE, &limit) == 0) {
        limited_ = true;
        how_ = "a file size limit of " + std::to_string(bytes / 1024) + " KiB";
        return;
      }
      std::signal(SIGXFSZ, previousSignal_);
    }
    whyNot_ += "; no file size limit either: " + std::string(std::strerror(errno));
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    if (limited_) {
      ::setrlimit(RLIMIT_FSIZE, &previous_);
      std::signal(SIGXFSZ, previousSignal_);
    }
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool ready() const { return mounted_ || limited_; }
  // True for the tmpfs: a disk that is full for every file, not a limit on each file's size.
  bool isFileSystem() const { return mounted_; }
  const std::string& how() const { return how_; }
  const std::string& whyNot() const { return whyNot_; }

 private:
  std::string dir_, how_, whyNot_;
  bool mounted_ = false, limited_ = false;
  rlimit previous_{};
  void (*previousSignal_)(int) = SIG_DFL;
};

}  // namespace foldbench::testing
