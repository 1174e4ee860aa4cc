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
#include <exception>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

namespace foldbench::platform {

template <class Work>
auto onThreadOfItsOwn(Work&& work) -> std::invoke_result_t<Work&> {
  using Result = std::invoke_result_t<Work&>;
  std::exception_ptr error;
  if constexpr (std::is_void_v<Result>) {
    std::thread([&] {
      try {
        work();
      } catch (...) {
        error = std::current_exception();
      }
    }).join();
    if (error) std::rethrow_exception(error);
  } else {
    std::optional<Result> result;
    std::thread([&] {
      try {
        result.emplace(work());
      } catch (...) {
        error = std::current_exception();
      }
    }).join();
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
}

}  // namespace foldbench::platform
