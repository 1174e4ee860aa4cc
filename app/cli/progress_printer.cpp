#include "progress_printer.h"

#include <unistd.h>

namespace foldbench::cli {

using Clock = std::chrono::steady_clock;

std::string formatDuration(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "--:--";
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  if (s >= 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else std::snprintf(text, sizeof text, "%02ld:%02ld", s / 60, s % 60);
  return text;
}

ProgressPrinter::ProgressPrinter(int foldsToTrain, std::FILE* out)
    : out_(out), terminal_(isatty(fileno(out)) != 0), foldsToTrain_(std::max(1, foldsToTrain)), runStart_(Clock::now()) {}

void ProgressPrinter::endBar() {
  if (barOpen_) std::fputc('\n', out_);
  barOpen_ = false;
}

void ProgressPrinter::onMessage(const std::string& text) {
  endBar();
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

void ProgressPrinter::onFoldStart(int fold, std::size_t trainRows, std::size_t validationRows) {
  endBar();
  foldStart_ = Clock::now();
  std::fprintf(out_, "fold %d: %zu training rows, %zu validation rows\n", fold, trainRows, validationRows);
  std::fflush(out_);
}

void ProgressPrinter::onStep(const train::StepEvent& e) {
  if (!terminal_) return;
  const double foldDone = e.totalSteps ? static_cast<double>(e.step) / static_cast<double>(e.totalSteps) : 0.0;
  const double runDone = (foldsDone_ + foldDone) / foldsToTrain_;
  const double elapsed = std::chrono::duration<double>(Clock::now() - runStart_).count();
  const double eta = runDone > 0 ? elapsed * (1.0 - runDone) / runDone : -1;
  constexpr int kWidth = 28;
  const int filled = static_cast<int>(foldDone * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(out_, "\r  fold %d epoch %d [%s] %5.1f%%  loss %.4f  acc %.3f  lr %.2e  %.0f ex/s  ETA %s   ", e.fold,
               e.epoch, bar.c_str(), foldDone * 100.0, e.loss, e.accuracy, e.learningRate, e.examplesPerSecond,
               formatDuration(eta).c_str());
  std::fflush(out_);
  barOpen_ = true;
}

void ProgressPrinter::onEpoch(const train::EpochEvent& e) {
  endBar();
  std::fprintf(out_, "  fold %d epoch %d: train loss %.4f acc %.4f", e.fold, e.epoch, e.trainLoss, e.trainAccuracy);
  if (e.hasValidation)
    std::fprintf(out_, " | val loss %.4f acc %.4f micro-F1 %.4f%s", e.validation.loss, e.validation.accuracy,
                 e.validation.microF1, e.improved ? "  *best" : "");
  std::fprintf(out_, " | lr %.2e | %.1f s\n", e.learningRate, e.seconds);
  std::fflush(out_);
}

void ProgressPrinter::onFoldEnd(const train::FoldResult& r) {
  endBar();
  ++foldsDone_;
  std::fprintf(out_, "fold %d %s: best epoch %d, val acc %.4f, micro-F1 %.4f, %.0f ex/s, %s\n", r.fold,
               train::toString(r.status), r.bestEpoch, r.best.accuracy, r.best.microF1, r.examplesPerSecond,
               formatDuration(r.seconds).c_str());
  if (!r.error.empty()) std::fprintf(out_, "  error: %s\n", r.error.c_str());
  std::fflush(out_);
}

}  // namespace foldbench::cli
