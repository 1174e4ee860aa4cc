#include "live/run_status_widget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

namespace foldbench::ui {

RunStatusWidget::RunStatusWidget(QWidget* parent) : QWidget(parent), label_(new QLabel), bar_(new QProgressBar) {
  label_->setObjectName("runStatus");
  bar_->setRange(0, 1000);
  bar_->setMaximumWidth(180);
  bar_->setTextVisible(false);
  bar_->hide();
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(bar_);
  layout->addWidget(label_);
  showIdle(tr("Ready"));
}

void RunStatusWidget::showIdle(const QString& text) {
  bar_->hide();
  label_->setText(text);
}

void RunStatusWidget::showBusy(const QString& text) {
  bar_->setRange(0, 0);
  bar_->show();
  label_->setText(text);
}

void RunStatusWidget::showProgress(const RunProgress& p) {
  bar_->show();
  QStringList parts;
  parts << tr("phase: %1").arg(QString::fromLatin1(train::toString(p.phase())));
  if (p.preparing()) {
    if (p.phaseTotal() > 0) {
      bar_->setRange(0, static_cast<int>(p.phaseTotal()));
      bar_->setValue(static_cast<int>(p.phaseDone()));
      parts << tr("%L1/%L2 rows").arg(p.phaseDone()).arg(p.phaseTotal());
    } else {
      bar_->setRange(0, 0);  // busy indicator
    }
    label_->setText(parts.join(QStringLiteral("   ")));
    return;
  }
  bar_->setRange(0, 1000);
  bar_->setValue(static_cast<int>(p.fraction() * 1000));
  if (p.folds() > 0) parts << tr("fold %1/%2").arg(std::min(p.foldsDone() + 1, p.folds())).arg(p.folds());
  parts << tr("epoch %1/%2").arg(p.epoch()).arg(p.epochs());
  parts << tr("step %L1/%L2").arg(p.stepsDone()).arg(p.totalSteps());
  if (const auto eta = p.etaSeconds()) parts << tr("ETA %1").arg(QString::fromStdString(formatEta(*eta)));
  parts << tr("%1 ex/s").arg(p.examplesPerSecond(), 0, 'f', 0);
  if (!p.device().empty()) parts << tr("%1 × %2 threads").arg(QString::fromStdString(p.device())).arg(p.threads());
  label_->setText(parts.join(QStringLiteral("   ")));
}

QString RunStatusWidget::text() const { return label_->text(); }

}  // namespace foldbench::ui
