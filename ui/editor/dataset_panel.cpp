#include "dataset_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "label_histogram_plot.h"
#include "editor/diagnostics_model.h"
#include "editor/label_histogram_model.h"

namespace foldbench::ui {

namespace {
QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setModel(model);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setAlternatingRowColors(true);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setStretchLastSection(true);
  return view;
}
}  // namespace

DatasetPanel::DatasetPanel(QWidget* parent)
    : QWidget(parent),
      summary_(new QLabel(tr("No dataset loaded. Open one with Ctrl+O."), this)),
      histogram_(new LabelHistogramModel(this)),
      diagnostics_(new DiagnosticsModel(this)),
      plot_(new LabelHistogramPlot(this)) {
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summary_->setWordWrap(true);
  histogramView_ = makeTable(histogram_, this);
  diagnosticsView_ = makeTable(diagnostics_, this);

  auto* top = new QSplitter(Qt::Horizontal, this);
  top->addWidget(histogramView_);
  top->addWidget(plot_);
  top->setStretchFactor(0, 1);
  top->setStretchFactor(1, 2);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(top);
  split->addWidget(diagnosticsView_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(summary_);
  layout->addWidget(split, 1);
}

void DatasetPanel::showSnapshot(const DatasetSnapshot& snap) {
  const auto& s = snap.summary;
  QString text = tr("<b>%1</b><br>").arg(QString::fromStdString(snap.path).toHtmlEscaped());
  if (!snap.usable) {
    text += tr("<span style='color:#b02020'>Not usable: %1</span>")
                .arg(QString::fromStdString(snap.error).toHtmlEscaped());
  } else {
    text += tr("%1 rows, %2 labels%3 · %4 offsets repaired · %5 overlapping spans · %6 rows skipped · "
               "sentence length %7–%8 characters (median %9)")
                .arg(s.rows)
                .arg(snap.labels.size())
                .arg(s.blindRows ? tr(" (%1 unlabelled)").arg(s.blindRows) : QString())
                .arg(snap.report.repairs.size())
                .arg(snap.report.overlappingLines.size())
                .arg(snap.report.skippedLines.size())
                .arg(s.sentenceChars.min)
                .arg(s.sentenceChars.max)
                .arg(s.sentenceChars.p50);
  }
  summary_->setText(text);
  histogram_->setSummary(s);
  diagnostics_->setReport(snap.report);
  plot_->setSummary(s);
  histogramView_->resizeColumnsToContents();
  diagnosticsView_->resizeColumnsToContents();
}

QString DatasetPanel::summaryText() const { return summary_->text(); }

}  // namespace foldbench::ui
