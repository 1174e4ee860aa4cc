// Files written on a full disk: a clear error naming the path and the space, no temporary file
// left, and the file that was there before still whole.
#include "foldbench/platform/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "small_disk.h"
#include "temp_dir.h"

namespace foldbench::platform {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AtomicFile, ReplacesTheFileWholeAndLeavesNoTemporary) {
  testing::TempDir dir;
  writeFileAtomically(dir.file("a.txt"), "first");
  writeFileAtomically(dir.file("a.txt"), "second");
  EXPECT_EQ(slurp(dir.file("a.txt")), "second");
  EXPECT_THROW(writeFileAtomically(dir.file("a.txt"), "third", /*overwrite=*/false), std::runtime_error);
  EXPECT_EQ(slurp(dir.file("a.txt")), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(AtomicFile, AFullDiskIsAClearErrorAndTheEarlierFileStays) {
  testing::TempDir dir;
  const std::string small = dir.file("small");
  testing::SmallDisk disk(small, 256 * 1024);
  if (!disk.ready()) GTEST_SKIP() << "cannot make a small disk here: " << disk.whyNot();
  const std::string path = small + "/best.pt";
  writeFileAtomically(path, std::string(64 * 1024, 'a'));
  const std::string big(1024 * 1024, 'b');
  try {
    writeFileAtomically(path, big);
    FAIL() << "1 MB was written to " << disk.how();
  } catch (const DiskWriteError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(e.outOfSpace()) << what;
    EXPECT_EQ(what.rfind("cannot write " + path + ": ", 0), 0u) << what;
    EXPECT_NE(what.find("needed at least 1.0 MB"), std::string::npos) << what;
    if (disk.isFileSystem()) EXPECT_NE(what.find(" free)"), std::string::npos) << what;
  }
  EXPECT_EQ(slurp(path), std::string(64 * 1024, 'a')) << "the earlier file was damaged";
  EXPECT_EQ(std::distance(fs::directory_iterator(small), fs::directory_iterator()), 1) << "a temporary file was left";

  // A writer that must not throw (LibTorch's) keeps the error for commit.
  {
    AtomicFile file(path);
    EXPECT_EQ(file.writeOrRemember(big.data(), big.size()), big.size());
    EXPECT_THROW(file.commit(), DiskWriteError);
  }
  EXPECT_EQ(slurp(path), std::string(64 * 1024, 'a'));
  EXPECT_EQ(std::distance(fs::directory_iterator(small), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace foldbench::platform
