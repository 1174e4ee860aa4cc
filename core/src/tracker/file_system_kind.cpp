#include "file_system_kind.h"

#include <sys/vfs.h>

#include <cstdlib>
#include <filesystem>

namespace foldbench::tracker {

std::string networkFileSystemName(long magic) {
  // Magic numbers from linux/magic.h and the file systems' own headers.
  switch (static_cast<unsigned long>(magic) & 0xffffffffUL) {
    case 0x6969UL: return "nfs";
    case 0x517bUL: return "smb";
    case 0xff534d42UL: return "cifs";
    case 0xfe534d42UL: return "smb2";
    case 0x0bd00bd0UL: return "lustre";
    case 0x47504653UL: return "gpfs";
    case 0x19830326UL: return "beegfs";
    case 0x00c36400UL: return "ceph";
    case 0x5346414fUL: return "afs";
    case 0x01021997UL: return "9p";
    case 0x7461636fUL: return "ocfs2";
    case 0x013111a8UL: return "ibrix";
    case 0xaad7aaeaUL: return "panfs";
    default: return {};
  }
}

FileSystemKind fileSystemKind(const std::string& path) {
  if (const char* forced = std::getenv("FOLDBENCH_TRACKER_FS"); forced && *forced) {
    const std::string value = forced;
    if (value == "network") return FileSystemKind::Network;
    if (value == "local") return FileSystemKind::Local;
  }
  // The database may not exist yet: its folder decides.
  std::filesystem::path at = std::filesystem::absolute(path);
  std::error_code ec;
  if (!std::filesystem::exists(at, ec)) at = at.parent_path();
  struct statfs info {};
  if (::statfs(at.c_str(), &info) != 0) return FileSystemKind::Local;
  return networkFileSystemName(static_cast<long>(info.f_type)).empty() ? FileSystemKind::Local : FileSystemKind::Network;
}

}  // namespace foldbench::tracker
