#include "foldbench/platform/own_thread.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace {

int threadsInProcess() {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

// Waits for detached OpenMP workers to finish exiting.
int settledThreadCount(int expected) {
  int n = threadsInProcess();
  for (int i = 0; i < 200 && n != expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    n = threadsInProcess();
  }
  return n;
}

// An element-wise operation on 4M floats: LibTorch splits it over an OpenMP team. (at::parallel_for
// itself would not do here: it is a header template, serial in a file built without -fopenmp.)
void parallelWork() {
  const double sum = at::ones({1 << 22}).mul_(3).sum().item<double>();
  if (sum != 3.0 * (1 << 22)) throw std::logic_error("wrong sum");
}

}  // namespace

TEST(OwnThread, AnOpenMpTeamEndsWithTheWork) {
  // A long-lived thread (as a pooled one is) hands its LibTorch work to onThreadOfItsOwn; while
  // it lives on, it is the only thread it added: the team ended with the work.
  at::set_num_threads(2);
  const int before = threadsInProcess();
  std::atomic<bool> done{false}, release{false};
  std::thread pooled([&] {
    foldbench::platform::onThreadOfItsOwn([] {
      at::set_num_threads(2);  // OpenMP's thread count is per thread: a new thread starts at the default
      parallelWork();
    });
    done = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(settledThreadCount(before + 1), before + 1);
  release = true;
  pooled.join();
}

TEST(OwnThread, ALivingThreadKeepsItsTeam) {
  // The control: the same work run on the long-lived thread itself leaves its team behind.
  at::set_num_threads(2);
  const int before = threadsInProcess();
  std::atomic<bool> done{false}, release{false};
  std::thread keeper([&] {
    at::set_num_threads(2);
    parallelWork();
    done = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_GT(threadsInProcess(), before + 1);  // the keeper and at least one team worker
  release = true;
  keeper.join();
}

TEST(OwnThread, ReturnsTheResultAndRethrows) {
  EXPECT_EQ(foldbench::platform::onThreadOfItsOwn([] { return 42; }), 42);
  EXPECT_THROW(foldbench::platform::onThreadOfItsOwn([]() -> int { throw std::runtime_error("bad row"); }),
               std::runtime_error);
}
