// The rule for where the tracker and run folders go when the user names neither.
#include "foldbench/platform/workspace.h"

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace foldbench::platform {
namespace {

TEST(Workspace, AWorkingDirectoryWithATrackerIsAProjectFolder) {
  testing::TempDir project;
  project.write("experiments.db", "");
  const auto w = findWorkspace(project.path(), "/data/home", "/home/user");
  EXPECT_TRUE(w.project);
  EXPECT_EQ(w.dir, project.path());
}

TEST(Workspace, ElsewhereTheTrackerIsInTheXdgDataFolder) {
  testing::TempDir elsewhere;
  const auto w = findWorkspace(elsewhere.path(), "/data/home", "/home/user");
  EXPECT_FALSE(w.project);
  EXPECT_EQ(w.dir, "/data/home/foldbench");
}

TEST(Workspace, WithoutXdgDataHomeTheFolderIsUnderHome) {
  testing::TempDir elsewhere;
  EXPECT_EQ(findWorkspace(elsewhere.path(), "", "/home/user").dir, "/home/user/.local/share/foldbench");
  // The XDG base directory spec says a relative value is ignored.
  EXPECT_EQ(findWorkspace(elsewhere.path(), "relative/data", "/home/user").dir, "/home/user/.local/share/foldbench");
}

TEST(Workspace, AFolderNamedLikeTheTrackerDoesNotMakeAProject) {
  testing::TempDir elsewhere;
  std::filesystem::create_directory(elsewhere.file("experiments.db"));
  EXPECT_FALSE(findWorkspace(elsewhere.path(), "/data/home", "").project);
}

TEST(Workspace, RelativeRunFoldersSitBesideTheirTracker) {
  EXPECT_EQ(runFolderFor("runs", "/data/home/foldbench/experiments.db"), "/data/home/foldbench/runs");
  EXPECT_EQ(runFolderFor("../runs/a", "/p/q/x.db"), "/p/runs/a");
  EXPECT_EQ(runFolderFor("/scratch/runs", "/data/home/foldbench/experiments.db"), "/scratch/runs");
}

TEST(Workspace, TheDefaultTrackerFolderIsCreatedOnFirstUse) {
  testing::TempDir home, cwd;
  const auto savedDir = std::filesystem::current_path();
  const char* saved = std::getenv("XDG_DATA_HOME");
  const std::string savedValue = saved ? saved : "";
  setenv("XDG_DATA_HOME", home.file("data").c_str(), 1);
  std::filesystem::current_path(cwd.path());
  const auto path = defaultDatabasePath();
  std::filesystem::current_path(savedDir);
  if (saved) setenv("XDG_DATA_HOME", savedValue.c_str(), 1); else unsetenv("XDG_DATA_HOME");
  EXPECT_EQ(path, home.file("data") + "/foldbench/experiments.db");
  EXPECT_TRUE(std::filesystem::is_directory(home.file("data") + "/foldbench"));
}

}  // namespace
}  // namespace foldbench::platform
