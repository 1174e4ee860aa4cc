// Linked into every test executable: the BLAS kernel choice runs before the test runner's
// main(), as it does first thing in Foldbench's own programs (it may restart the process).
#include "foldbench/platform/blas_kernels.h"

namespace {
const auto kChoice = foldbench::platform::chooseBlasKernelsForThisProcess();
}  // namespace
