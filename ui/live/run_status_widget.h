#pragma once
// The status bar's view of a run: phase, fold k/K, epoch, step, a progress bar, ETA,
// examples/s, device and threads.
#include <QWidget>

#include "live/run_progress.h"

class QLabel;
class QProgressBar;

namespace foldbench::ui {

class RunStatusWidget : public QWidget {
  Q_OBJECT
 public:
  explicit RunStatusWidget(QWidget* parent = nullptr);
  void showProgress(const RunProgress& progress);
  void showIdle(const QString& text);
  // Text beside a busy bar: something is under way that has no measure (a run settling).
  void showBusy(const QString& text);
  QString text() const;

 private:
  QLabel* label_;
  QProgressBar* bar_;
};

}  // namespace foldbench::ui
