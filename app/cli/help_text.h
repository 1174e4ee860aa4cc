#pragma once
// The command-line help: one entry per command, from which the full usage (docs/CLI.md), each
// command's own `--help` and a command group's listing ("foldbench-cli runs") are all made, so
// they cannot disagree.
#include <string>

namespace foldbench::cli {

// Every command, as `foldbench-cli --help` prints it.
std::string fullUsage();

// The help topic that argv names: a command ("runs list"), a group ("runs") or "" (none known).
std::string helpTopic(int argc, char** argv);

// The help of a topic from helpTopic: a command's own usage, or a group's commands.
std::string topicHelp(const std::string& topic);

// True for "data", "config", "cluster", "runs": words that need a command after them.
bool isCommandGroup(const std::string& word);

// The short hint under a usage error: "see 'foldbench-cli runs list --help'".
std::string seeHelpLine(const std::string& topic);

}  // namespace foldbench::cli
