#include "label_histogram_plot.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

namespace foldbench::ui {

LabelHistogramPlot::LabelHistogramPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
  bars_->setPen(Qt::NoPen);
  bars_->setBrush(QColor(0x3a, 0x6e, 0xa5));
  plot_->xAxis->setLabel(tr("label id"));
  plot_->yAxis->setLabel(tr("rows"));
  plot_->setMinimumHeight(160);
}

void LabelHistogramPlot::setSummary(const data::DatasetSummary& summary) {
  QVector<double> keys, values;
  for (const auto& l : summary.labels) {
    keys << l.id;
    values << static_cast<double>(l.rows);
  }
  bars_->setData(keys, values, true);
  plot_->rescaleAxes();
  plot_->xAxis->setRange(-1, std::max<double>(1, keys.size()));
  plot_->yAxis->setRangeLower(0);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

int LabelHistogramPlot::barCount() const { return bars_->data()->size(); }

}  // namespace foldbench::ui
