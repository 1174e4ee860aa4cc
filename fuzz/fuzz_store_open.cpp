// Opening a damaged or foreign database file: refused with a StoreError, never a crash, and
// never modified when refused.
#include <filesystem>

#include "foldbench/tracker/run_store.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foldbench::tracker;
  const auto path = foldbench::fuzz::writeInput(data, size, ".db");
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path + suffix);
  try {
    const auto store = RunStore::open(path, RunStore::Access::ReadOnly);
    store.listRuns({});
    store.integrityCheck();
  } catch (const std::exception&) {
  }
  try {
    auto store = RunStore::open(path);
    store.listRuns({});
  } catch (const StoreError&) {
  } catch (const std::exception&) {
  }
  return 0;
}
