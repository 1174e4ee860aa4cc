#include "editor/model_folder_view.h"

#include <QDir>
#include <QLabel>
#include <QTextDocumentFragment>
#include <QThread>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "foldbench/pretrained/model_folder.h"
#include "foldbench/pretrained/training_estimate.h"

namespace foldbench::ui {

QString roughDuration(double seconds) {
  if (seconds < 1.0) return QObject::tr("under a second");
  if (seconds < 90.0) return QObject::tr("%1 s").arg(std::lround(seconds));
  if (seconds < 90.0 * 60.0) return QObject::tr("%1 min").arg(std::lround(seconds / 60.0));
  return QObject::tr("%1 h").arg(QString::number(seconds / 3600.0, 'f', 1));
}

EpochEstimateText describeEpochEstimate(const ModelFolderSnapshot& model, const config::ExperimentConfig& config,
                                        std::size_t dataRows) {
  if (!model.usable) return {};
  if (dataRows == 0) return {QObject::tr("Time per epoch: known once the training file is checked."), {}};
  if (model.sgemmGflops <= 0) return {QObject::tr("Time per epoch: unknown (no BLAS to measure)."), {}};
  const int cores = std::max(1, QThread::idealThreadCount());
  const int threads = config.train.threads > 0 ? std::min(config.train.threads, cores) : cores;
  // measureSgemm ran on every core; a run limited to fewer threads gets that share of it.
  const double gflops = model.sgemmGflops * threads / cores;
  // Batches are padded to their longest row (bucketed) or to max_len (fixed): without the lengths
  // of the tokenized data, half of max_len stands for a bucketed batch.
  const auto limit = static_cast<int>(pretrained::maxTokens(model.config));
  const int maxLen = std::min(config.input.maxLen, limit);
  const double tokens = config.train.padding == config::Padding::Fixed ? maxLen : std::max(8, maxLen / 2);
  const int folds = config.kfold.enabled ? config.kfold.folds : 1;
  const double rows = pretrained::trainRowsPerFold(dataRows, folds, config.kfold.enabled ? 0.0 : config.kfold.valRatio);
  const double seconds = pretrained::estimateEpochSeconds(
      model.config, {rows, tokens, gflops, pretrained::kCpuFineTuneEfficiency});
  EpochEstimateText out;
  const QString amount = seconds < 1.0 ? roughDuration(seconds) : QObject::tr("about %1").arg(roughDuration(seconds));
  out.text = threads == 1 ? QObject::tr("%1 per epoch on this CPU (1 thread)").arg(amount)
                          : QObject::tr("%1 per epoch on this CPU (%2 threads)").arg(amount).arg(threads);
  if (config.train.device == config::Device::Cuda) out.text += QObject::tr("; a GPU is faster");
  out.toolTip =
      QObject::tr("%L1 training rows per fold x ~%2 tokens (%3 max_len %4) x %5 GFLOP per row "
                  "(forward + backward = 3 x forward)<br>at %6 GFLOP/s: sgemm 1024 measured here, %7 GFLOP/s on %8 "
                  "core(s), x %9% (fine-tuning's measured share of it on CPU)")
          .arg(std::lround(rows))
          .arg(std::lround(tokens))
          .arg(config.train.padding == config::Padding::Fixed ? QObject::tr("fixed padding:") : QObject::tr("half of"))
          .arg(maxLen)
          .arg(QString::number(pretrained::trainingFlopsPerRow(model.config, tokens) / 1e9, 'g', 3))
          .arg(QString::number(gflops * pretrained::kCpuFineTuneEfficiency, 'f', 1))
          .arg(QString::number(model.sgemmGflops, 'f', 1))
          .arg(cores)
          .arg(std::lround(pretrained::kCpuFineTuneEfficiency * 100));
  return out;
}

ModelFolderView::ModelFolderView(QWidget* parent) : QWidget(parent), facts_(new QLabel), estimate_(new QLabel) {
  setObjectName("modelFolderView");
  facts_->setObjectName("modelFacts");
  estimate_->setObjectName("modelEstimate");
  for (auto* label : {facts_, estimate_}) {
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::RichText);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // wraps to the form's width
  }
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 0, 0, 4);
  layout->setSpacing(2);
  layout->addWidget(facts_);
  layout->addWidget(estimate_);
  showEmpty({});
}

void ModelFolderView::showEmpty(const QString& why) {
  error_ = false;
  facts_->setText(why.toHtmlEscaped());
  facts_->setVisible(!why.isEmpty());
  estimate_->clear();
  estimate_->hide();
}

void ModelFolderView::showChecking(const QString& directory) {
  error_ = false;
  facts_->setText(tr("Reading %1…").arg(QDir(directory).dirName().toHtmlEscaped()));
  facts_->show();
  estimate_->clear();
  estimate_->hide();
}

void ModelFolderView::showSnapshot(const ModelFolderSnapshot& snap) {
  if (!snap.usable) {
    error_ = true;
    facts_->setText(tr("<span style='color:#d0302f'>Not a usable model folder: %1</span>")
                        .arg(QString::fromStdString(snap.error).toHtmlEscaped()));
    facts_->show();
    estimate_->hide();
    return;
  }
  error_ = !snap.problem.empty();
  const QString prefix = QDir::cleanPath(QString::fromStdString(snap.directory)) + '/';
  QStringList lines;
  for (const auto& [name, value] : snap.facts) {
    QString v = QString::fromStdString(value);
    v.replace(prefix, QString());  // the weights' file names, not the whole path again
    lines << QStringLiteral("<b>%1</b>&nbsp; %2").arg(QString::fromStdString(name).toHtmlEscaped(), v.toHtmlEscaped());
  }
  if (!snap.problem.empty())
    lines << QStringLiteral("<span style='color:#d0302f'>%1</span>").arg(QString::fromStdString(snap.problem).toHtmlEscaped());
  facts_->setText(lines.join(QStringLiteral("<br>")));
  facts_->show();
}

void ModelFolderView::setEstimate(const EpochEstimateText& estimate) {
  estimate_->setText(QStringLiteral("<i>%1</i>").arg(estimate.text.toHtmlEscaped()));
  estimate_->setToolTip(estimate.toolTip);
  estimate_->setVisible(!estimate.text.isEmpty() && !error_);
}

QString ModelFolderView::factsText() const {
  return QTextDocumentFragment::fromHtml(facts_->text()).toPlainText().replace(QChar::Nbsp, ' ');
}
QString ModelFolderView::estimateText() const {
  return estimate_->isVisibleTo(this) ? QTextDocumentFragment::fromHtml(estimate_->text()).toPlainText() : QString();
}

}  // namespace foldbench::ui
