// foldbench-spm-train: trains a sentencepiece model in its own process.
// Training inside the workbench process is not possible: with the plugin loaded through
// RTLD_DEEPBIND, the trainer's logging binds to an uninitialised copy of std::cerr and
// crashes. A child process has neither that problem nor LibTorch's protobuf (docs/PLATFORM-FACTS.md).
#include <sentencepiece_trainer.h>

#include <cstdio>
#include <string>
#include <unordered_map>

// Each argument is one --key=value: values may hold spaces (paths do), which sentencepiece's
// single-string form would split.
int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: foldbench-spm-train --key=value...\n");
    return 2;
  }
  std::unordered_map<std::string, std::string> kwargs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      std::fprintf(stderr, "foldbench-spm-train: '%s' is not --key=value\n", argv[i]);
      return 2;
    }
    kwargs[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
  }
  const auto status = sentencepiece::SentencePieceTrainer::Train(kwargs);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
