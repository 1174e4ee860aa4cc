// foldbench-spm-train: trains a sentencepiece model in its own process.
// Training inside the workbench process is not possible: with the plugin loaded through
// RTLD_DEEPBIND, the trainer's logging binds to an uninitialised copy of std::cerr and
// crashes. A child process has neither that problem nor LibTorch's protobuf (PLATFORM.md).
#include <sentencepiece_trainer.h>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: foldbench-spm-train '<sentencepiece trainer arguments>'\n");
    return 2;
  }
  const auto status = sentencepiece::SentencePieceTrainer::Train(std::string(argv[1]));
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
