// The Slurm batch scripts of a cluster run, checked by bash itself.
#include "foldbench/cluster/slurm_scripts.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "temp_dir.h"

namespace foldbench::cluster {
namespace {

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    std::array<char, 256> buffer{};
    while (fgets(buffer.data(), buffer.size(), p)) out += buffer.data();
    if (pclose(p) != 0) out += "<failed>";
  }
  return out;
}

SlurmOptions options(const std::string& runDir) {
  SlurmOptions o;
  o.cli = "/opt/fold bench/bin/foldbench-cli";
  o.runDir = runDir;
  o.database = "/shared/it's here/experiments.db";
  o.runId = "20261129-120000-abcd";
  o.folds = 5;
  o.cpus = 4;
  return o;
}

TEST(SlurmScripts, TheArrayHasOneTaskPerFoldWithTheAskedResources) {
  auto o = options("/shared/runs/20261129-120000-abcd");
  o.gpus = 1;
  o.time = "2:00:00";
  o.memory = "16G";
  const auto s = slurmScripts(o);
  for (const char* line : {"#SBATCH --array=0-4\n", "#SBATCH --cpus-per-task=4\n", "#SBATCH --gres=gpu:1\n",
                           "#SBATCH --time=2:00:00\n", "#SBATCH --mem=16G\n",
                           "#SBATCH --output=/shared/runs/20261129-120000-abcd/slurm/fold-%a.log\n",
                           "export OMP_NUM_THREADS=4\n", "--fold \"$SLURM_ARRAY_TASK_ID\""})
    EXPECT_NE(s.folds.find(line), std::string::npos) << line << " not in\n" << s.folds;
  EXPECT_EQ(s.folds.find("--partition"), std::string::npos);  // the cluster's default partition
  EXPECT_NE(s.merge.find("cluster merge --run"), std::string::npos);
  EXPECT_EQ(s.merge.find("--gres"), std::string::npos);  // merging needs no GPU
  EXPECT_NE(s.submit.find("--dependency=afterany:\"$folds\""), std::string::npos);

  o.gpus = 0;
  o.partition = "short";
  const auto plain = slurmScripts(o);
  EXPECT_EQ(plain.folds.find("--gres"), std::string::npos);
  EXPECT_NE(plain.folds.find("#SBATCH --partition=short\n"), std::string::npos);
  EXPECT_NE(plain.merge.find("#SBATCH --partition=short\n"), std::string::npos);
  EXPECT_THROW(slurmScripts([&] { auto x = o; x.folds = 0; return x; }()), std::invalid_argument);
  try {
    slurmScripts([&] { auto x = o; x.runDir = "/shared/my runs/r1"; return x; }());
    FAIL() << "a run folder with a space was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("contains whitespace"), std::string::npos) << e.what();
  }
}

TEST(SlurmScripts, ASweepsWorkersAreAnArrayThatClaimsTrialsFromTheSharedTracker) {
  auto o = options("/shared/sweeps/lr");
  o.folds = 3;  // workers
  o.cpus = 2;
  o.partition = "short";
  const auto script = sweepWorkersScript(o, "lr it's");
  for (const char* line : {"#SBATCH --array=0-2\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --partition=short\n",
                           "#SBATCH --output=/shared/sweeps/lr/worker-%a.log\n", "export OMP_NUM_THREADS=2\n",
                           "sweep run 'lr it'\\''s' --workers 1 --threads 2 --db '/shared/it'\\''s here/experiments.db'\n"})
    EXPECT_NE(script.find(line), std::string::npos) << line << " not in\n" << script;
  testing::TempDir dir;
  const auto path = dir.write("workers.sbatch", script);
  EXPECT_EQ(run("bash -n '" + path + "' && echo ok"), "ok\n");
  o.time = "2 hours";
  EXPECT_THROW(sweepWorkersScript(o, "lr"), std::invalid_argument);
}

// What must not be accepted: a value that ends its #SBATCH line, since the next line of a batch
// script runs as shell on the node (or becomes another directive).
std::string refusal(const SlurmOptions& o) {
  try {
    slurmScripts(o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<accepted>";
}

TEST(SlurmScripts, ValuesSlurmCannotParseAreRefusedNamingTheOption) {
  const auto base = options("/shared/runs/r1");
  const auto with = [&](std::string SlurmOptions::*field, const std::string& value) {
    auto o = base;
    o.*field = value;
    return o;
  };
  for (const std::string bad : {"short\nrm -rf \"$HOME\"", "short #x", "a b", "gpu;id", "$(id)", ",short", "a,,b"})
    EXPECT_NE(refusal(with(&SlurmOptions::partition, bad)).find("--partition"), std::string::npos) << bad;
  for (const std::string bad : {"2:00:00\n#SBATCH --wrap=id", "2h", "1:2:3:4", "-5", "1-", "1--2", ":30", "2:00:00 "})
    EXPECT_NE(refusal(with(&SlurmOptions::time, bad)).find("--time"), std::string::npos) << bad;
  for (const std::string bad : {"8G\nid", "8 G", "8GB", "G", "8X", "-1"})
    EXPECT_NE(refusal(with(&SlurmOptions::memory, bad)).find("--mem"), std::string::npos) << bad;
  EXPECT_NE(refusal(with(&SlurmOptions::time, "2:00:00\nid")).find("'2:00:00\\nid'"), std::string::npos)
      << "the refused value is shown, its control characters visible";

  // Slurm's own forms pass.
  for (const std::string good : {"short", "gpu,short", "gpu-a100_v2.x"})
    EXPECT_EQ(refusal(with(&SlurmOptions::partition, good)), "<accepted>") << good;
  for (const std::string good : {"30", "30:00", "2:00:00", "1-12", "1-12:30", "2-00:00:00", "UNLIMITED", "infinite"})
    EXPECT_EQ(refusal(with(&SlurmOptions::time, good)), "<accepted>") << good;
  for (const std::string good : {"0", "8000", "500M", "16G", "1t", "64k"})
    EXPECT_EQ(refusal(with(&SlurmOptions::memory, good)), "<accepted>") << good;
}

TEST(SlurmScripts, APercentSignInTheRunFolderReachesTheLogPathLiterally) {
  // Slurm expands %j, %a, ... in --output: a literal '%' is written '%%'.
  const auto s = slurmScripts(options("/shared/100%a/r1"));
  EXPECT_NE(s.folds.find("#SBATCH --output=/shared/100%%a/r1/slurm/fold-%a.log\n"), std::string::npos) << s.folds;
  EXPECT_NE(s.merge.find("#SBATCH --output=/shared/100%%a/r1/slurm/merge.log\n"), std::string::npos) << s.merge;
  EXPECT_NE(s.folds.find("cluster fold --run '/shared/100%a/r1'"), std::string::npos) << "only #SBATCH paths are escaped";
}

TEST(SlurmScripts, WrittenScriptsAreValidBashAndSubmitIsExecutable) {
  testing::TempDir dir;
  const auto o = options(dir.file("run-with-'quotes'"));
  const auto submit = writeSlurmScripts(o);
  EXPECT_EQ(submit, o.runDir + "/slurm/submit.sh");
  for (const char* name : {"folds.sbatch", "merge.sbatch", "submit.sh"}) {
    const std::string path = o.runDir + "/slurm/" + name;
    EXPECT_EQ(run("bash -n " + shellQuote(path) + " 2>&1"), "") << name;
  }
  const auto perms = std::filesystem::status(submit).permissions();
  EXPECT_NE(perms & std::filesystem::perms::owner_exec, std::filesystem::perms::none);
}

TEST(SlurmScripts, QuotedTextReachesTheProgramUnchanged) {
  for (const std::string text : {std::string("plain"), std::string("two words"), std::string("it's"),
                                 std::string("$HOME `id` \"q\" \\ ;&|"), std::string("")}) {
    EXPECT_EQ(run("printf %s " + shellQuote(text)), text);
  }
}

}  // namespace
}  // namespace foldbench::cluster
