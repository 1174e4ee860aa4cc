#pragma once
// Runs work on a thread that ends when the work does.
//
// A thread that has run OpenMP work (any multi-threaded LibTorch operation) keeps its idle
// OpenMP team until it ends, and libgomp counts those threads against the cores: once it manages
// more threads than there are cores, every team stops spinning at its barriers and sleeps
// instead. On 2 cores that made a training run 1.19x slower while one idle team was left over
// elsewhere in the process (PLATFORM-FACTS.md, "OpenMP teams"). Work that may run LibTorch on a
// pooled or long-lived thread (QtConcurrent, a GUI thread) goes through here, so its team ends
// with it.
#include <functional>
#include <future>
#include <thread>
#include <type_traits>

namespace foldbench::platform {

// Returns what `work` returned, or rethrows what it threw (std::packaged_task carries either).
template <class Work>
auto onThreadOfItsOwn(Work&& work) -> std::invoke_result_t<Work&> {
  std::packaged_task<std::invoke_result_t<Work&>()> task(std::ref(work));
  auto outcome = task.get_future();
  std::thread(std::move(task)).join();
  return outcome.get();
}

}  // namespace foldbench::platform
