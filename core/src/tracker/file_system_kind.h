#pragma once
// SQLite's WAL mode needs every connection on one host (its shared-memory index lives in the
// -shm file, which network file systems do not keep coherent between hosts). A tracker on such
// a file system uses the rollback journal instead, which works with the file system's locks.
#include <string>

namespace foldbench::tracker {

enum class FileSystemKind { Local, Network };

// The kind of file system holding `path` (statfs of its folder). The environment variable
// FOLDBENCH_TRACKER_FS=network|local overrides the answer, for file systems statfs cannot
// tell apart (a network file system mounted through FUSE, say).
FileSystemKind fileSystemKind(const std::string& path);

// The name of a network file system's statfs magic number ("nfs", "lustre", ...), or empty.
std::string networkFileSystemName(long magic);

}  // namespace foldbench::tracker
