#include "compare/compare_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include "foldbench/tracker/run_store.h"
#include "shared/fold_chart.h"
#include "tracker/tracker_reader.h"
#include "widgets/data_table.h"

namespace foldbench::ui {

namespace {

const QRegularExpression kFoldSeries("^fold/(\\d+)/((?:train|val)/(?:acc|loss|micro_f1))$");

QStandardItem* item(const QString& text) { return new QStandardItem(text); }
QString fixed(double v, int decimals = 4) { return QLocale().toString(v, 'f', decimals); }
QString signedFixed(double v) { return (v >= 0 ? "+" : "") + fixed(v); }
QString pText(double p) { return p < 1e-4 ? QStringLiteral("< 0.0001") : fixed(p); }
QString verdict(double p) {
  return p < 0.05 ? QObject::tr("significant at 5%") : QObject::tr("no evidence of a difference");
}

}  // namespace

CompareView::CompareView(TrackerReader* store, QWidget* parent)
    : QWidget(parent),
      store_(store),
      heading_(new QLabel),
      metric_(new QComboBox),
      onlyDifferences_(new QCheckBox(tr("Only differences"))),
      chart_(new QCustomPlot),
      params_(new QStandardItemModel(this)),
      scores_(new QStandardItemModel(this)),
      tests_(new QStandardItemModel(this)),
      paramTable_(makeDataTable(params_)),
      testText_(new QTextBrowser) {
  heading_->setWordWrap(true);
  heading_->setText(tr("Select two or more runs in the Runs tab and choose Compare Selected (context menu)."));
  for (const auto& [leaf, title] : std::vector<std::pair<QString, QString>>{{"val/acc", tr("validation accuracy")},
                                                                          {"train/acc", tr("training accuracy")},
                                                                          {"val/loss", tr("validation loss")},
                                                                          {"train/loss", tr("training loss")},
                                                                          {"val/micro_f1", tr("validation micro-F1")}})
    metric_->addItem(title, leaf);
  connect(metric_, &QComboBox::currentIndexChanged, this, [this] { drawCurves(); });
  onlyDifferences_->setChecked(true);
  connect(onlyDifferences_, &QCheckBox::toggled, this, [this] { fillParameters(); });

  chart_->setMinimumHeight(220);
  chart_->xAxis->setLabel(tr("epoch"));
  auto epochs = QSharedPointer<QCPAxisTickerFixed>::create();
  epochs->setTickStep(1.0);
  epochs->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  chart_->xAxis->setTicker(epochs);
  chart_->legend->setVisible(true);
  chart_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
  chart_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

  auto* testsPage = new QWidget;
  {
    testText_->setMaximumHeight(120);
    auto* layout = new QVBoxLayout(testsPage);
    testTable_ = makeDataTable(tests_);
    testTable_->setWordWrap(true);
    layout->addWidget(testTable_, 1);
    layout->addWidget(testText_);
  }
  auto* paramsPage = new QWidget;
  {
    auto* layout = new QVBoxLayout(paramsPage);
    layout->addWidget(onlyDifferences_);
    layout->addWidget(paramTable_, 1);
  }
  auto* tabs = new QTabWidget;
  tabs->addTab(testsPage, tr("Significance"));
  tabs->addTab(paramsPage, tr("Parameters"));
  scoreTable_ = makeDataTable(scores_);
  tabs->addTab(scoreTable_, tr("Scores"));

  auto* top = new QHBoxLayout;
  top->addWidget(heading_, 1);
  top->addWidget(new QLabel(tr("Curve:")));
  top->addWidget(metric_);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(chart_);
  split->addWidget(tabs);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(split, 1);
}

void CompareView::compare(const QList<qint64>& ids) {
  ids_ = ids;
  if (ids.size() < 2) {
    heading_->setText(tr("Comparing needs two or more runs."));
    return;
  }
  heading_->setText(tr("Reading %n run(s)…", nullptr, ids.size()));
  store_->read<Loaded>(
      this,
      [ids](const tracker::RunStore& s) {
        Loaded out;
        std::vector<analysis::ComparedRun> runs;
        const tracker::RunStore::Snapshot snapshot(s);
        for (auto id : ids) {
          auto detail = s.showRun(id);
          std::map<std::string, std::map<int, tracker::Series>> curves;
          for (const auto& summary : detail.series) {
            const auto match = kFoldSeries.match(QString::fromStdString(summary.name));
            if (match.hasMatch())
              curves[match.captured(2).toStdString()][match.captured(1).toInt()] = s.series(id, summary.name);
          }
          out.curves.push_back(std::move(curves));
          out.infos.push_back(detail.info);
          runs.push_back(analysis::loadComparedRun(std::move(detail)));
        }
        out.comparison = analysis::compareRuns(runs);
        return out;
      },
      [this](Loaded loaded) { apply(std::move(loaded)); },
      [this](const QString& error) {
        heading_->setText(tr("The runs cannot be compared: %1").arg(error));
        emit message(error);
      });
}

void CompareView::apply(Loaded loaded) {
  comparison_ = std::move(loaded.comparison);
  infos_ = std::move(loaded.infos);
  curves_ = std::move(loaded.curves);
  QStringList names;
  for (std::size_t r = 0; r < infos_.size(); ++r)
    names << QString("<span style=\"color:%1\">■</span> %2 <span style=\"color:#777\">%3</span>")
                 .arg(FoldChart::foldColor(static_cast<int>(r)).name(), QString::fromStdString(infos_[r].name).toHtmlEscaped(),
                      QString::fromStdString(infos_[r].uid));
  heading_->setText(tr("Baseline first: %1").arg(names.join(" &nbsp; ")));
  fillParameters();
  fillScores();
  fillTests();
  drawCurves();
  emit compared();
}

void CompareView::setOnlyDifferences(bool only) { onlyDifferences_->setChecked(only); }

void CompareView::setMetric(const QString& leaf) {
  const int index = metric_->findData(leaf);
  if (index >= 0) metric_->setCurrentIndex(index);
}

void CompareView::fillParameters() {
  params_->clear();
  if (!comparison_) return;
  QStringList header{tr("Parameter")};
  for (const auto& uid : comparison_->runs) header << QString::fromStdString(uid);
  params_->setHorizontalHeaderLabels(header);
  for (const auto& p : comparison_->parameters) {
    if (onlyDifferences_->isChecked() && !p.differs) continue;
    QList<QStandardItem*> row{item(QString::fromStdString(p.key))};
    for (const auto& v : p.values) {
      auto* cell = item(QString::fromStdString(v));
      if (p.differs) {
        QFont bold = cell->font();
        bold.setBold(true);
        cell->setFont(bold);
      }
      row << cell;
    }
    params_->appendRow(row);
  }
  fitColumns(paramTable_);
}

void CompareView::fillScores() {
  scores_->clear();
  if (!comparison_) return;
  QStringList header{tr("Score")};
  for (const auto& uid : comparison_->runs) header << QString::fromStdString(uid);
  scores_->setHorizontalHeaderLabels(header);
  for (std::size_t fold = 0; fold < comparison_->foldAccuracy.size(); ++fold) {
    QList<QStandardItem*> row{item(tr("fold %1 val acc").arg(fold))};
    for (const auto& v : comparison_->foldAccuracy[fold]) row << item(v ? fixed(*v) : QString());
    scores_->appendRow(row);
  }
  QList<QStandardItem*> acc{item(tr("OOF accuracy"))}, f1{item(tr("OOF KLUE micro-F1"))}, rows{item(tr("OOF rows"))};
  for (const auto& o : comparison_->oof) {
    acc << item(o.available ? fixed(o.accuracy) : tr("n/a"));
    f1 << item(o.available ? fixed(o.relationMicroF1) : tr("n/a"));
    rows << item(o.available ? QString::number(o.rows) : tr("n/a"));
  }
  for (const auto& row : {acc, f1, rows}) scores_->appendRow(row);
  fitColumns(scoreTable_);
}

void CompareView::fillTests() {
  tests_->clear();
  tests_->setHorizontalHeaderLabels({tr("Run vs baseline"), tr("Test"), tr("Difference"), tr("95% CI"), tr("p"), tr("Verdict")});
  QStringList sentences;
  for (const auto& t : comparison_->tests) {
    const QString pair = QString::fromStdString(infos_[t.run].name) + " vs " + QString::fromStdString(infos_[0].name);
    if (t.tTest) {
      const auto& r = *t.tTest;
      tests_->appendRow({item(pair), item(tr("corrected resampled t-test (%1 folds)").arg(r.folds)),
                         item(signedFixed(r.meanDifference)),
                         item("[" + signedFixed(r.confidence.low) + ", " + signedFixed(r.confidence.high) + "]"),
                         item(pText(r.pValue)), item(verdict(r.pValue))});
    } else {
      QStringList reasons;
      for (const auto& reason : t.foldsNotComparable) reasons << QString::fromStdString(reason);
      tests_->appendRow({item(pair), item(tr("corrected resampled t-test")), item({}), item({}), item({}),
                         item(tr("not comparable: %1").arg(reasons.join("; ")))});
    }
    if (t.mcnemar && t.bootstrap) {
      const auto& m = *t.mcnemar;
      const auto& b = *t.bootstrap;
      tests_->appendRow({item(pair), item(tr("McNemar, out of fold (%1 vs %2 rows)").arg(m.onlyB).arg(m.onlyA)),
                         item(signedFixed(b.difference)), item({}), item(pText(m.pValue)), item(verdict(m.pValue))});
      const bool excludesZero = b.confidence.low > 0.0 || b.confidence.high < 0.0;
      tests_->appendRow({item(pair), item(tr("paired bootstrap, out of fold (%1 resamples)").arg(b.resamples)),
                         item(signedFixed(b.difference)),
                         item("[" + signedFixed(b.confidence.low) + ", " + signedFixed(b.confidence.high) + "]"), item({}),
                         item(excludesZero ? tr("interval excludes 0") : tr("interval includes 0"))});
    } else {
      QStringList reasons;
      for (const auto& reason : t.rowsNotComparable) reasons << QString::fromStdString(reason);
      tests_->appendRow({item(pair), item(tr("McNemar and bootstrap, out of fold")), item({}), item({}), item({}),
                         item(tr("not comparable: %1").arg(reasons.join("; ")))});
    }
    for (const auto& line : analysis::describeTests(*comparison_, t)) sentences << QString::fromStdString(line).toHtmlEscaped();
  }
  testText_->setHtml("<p>" + sentences.join("</p><p>") + "</p>");
  fitColumns(testTable_, 420);
  testTable_->resizeRowsToContents();
}

void CompareView::drawCurves() {
  chart_->clearGraphs();
  const std::string leaf = metric_->currentData().toString().toStdString();
  chart_->yAxis->setLabel(metric_->currentText());
  for (std::size_t r = 0; r < curves_.size(); ++r) {
    const QColor color = FoldChart::foldColor(static_cast<int>(r));
    const auto it = curves_[r].find(leaf);
    if (it == curves_[r].end()) continue;
    std::map<int, std::pair<double, int>> byEpoch;  // epoch -> sum, folds
    for (const auto& [fold, series] : it->second) {
      auto* g = chart_->addGraph();
      QColor thin = color;
      thin.setAlpha(70);
      g->setPen(QPen(thin, 1));
      g->removeFromLegend();
      for (std::size_t i = 0; i < series.size(); ++i) {
        g->addData(series.epochs[i], series.values[i]);
        auto& [sum, count] = byEpoch[series.epochs[i]];
        sum += series.values[i];
        ++count;
      }
    }
    auto* mean = chart_->addGraph();
    mean->setPen(QPen(color, 2.5));
    mean->setName(QString::fromStdString(infos_[r].name) + tr(" (fold mean)"));
    mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    for (const auto& [epoch, acc] : byEpoch) mean->addData(epoch, acc.first / acc.second);
  }
  chart_->rescaleAxes();
  chart_->xAxis->setRange(chart_->xAxis->range().lower - 0.3, chart_->xAxis->range().upper + 0.3);
  const auto y = chart_->yAxis->range();
  chart_->yAxis->setRange(y.lower - 0.05 * y.size(), y.upper + 0.05 * y.size());
  chart_->replot();
}

}  // namespace foldbench::ui
