#pragma once
// Where the tracker database and run folders go when the user names neither. The one rule
// (docs/GUIDE.md, "Where files go"):
//   1. --db PATH (or the database set in the window's Preferences) wins;
//   2. else, when the working directory holds experiments.db, it is a project folder and the
//      tracker is that file;
//   3. else the per-user data folder: $XDG_DATA_HOME/foldbench/experiments.db, by default
//      ~/.local/share/foldbench/experiments.db.
// A relative run.output_dir in a config is relative to the folder of the tracker database, so
// runs sit beside the tracker that lists them; --out DIR on the command line is relative to
// the working directory, like any path typed in a shell.
#include <string>

namespace foldbench::platform {

inline constexpr const char* kDatabaseFileName = "experiments.db";

struct Workspace {
  std::string dir;      // absolute
  bool project = false; // true: the working directory, which holds experiments.db
};

// The rule above, with the working directory and environment given (empty strings: unset).
Workspace findWorkspace(const std::string& workingDir, const std::string& xdgDataHome, const std::string& home);
// The rule for this process.
Workspace currentWorkspace();

// The tracker used when none is named: <workspace>/experiments.db. Creates the per-user folder
// when it does not exist yet (a project folder exists already).
std::string defaultDatabasePath();

// `outputDir` unchanged when absolute, else relative to the folder holding `databasePath`.
std::string runFolderFor(const std::string& outputDir, const std::string& databasePath);

}  // namespace foldbench::platform
