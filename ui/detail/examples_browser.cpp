#include "detail/examples_browser.h"

#include <QtConcurrent/QtConcurrentRun>

#include "foldbench/data/readers.h"

namespace foldbench::ui {

namespace {
constexpr int kMaxShown = 200;
const char* kSubjectStyle = "background:#cfe3f7; color:#0b3d6e; font-weight:600";
const char* kObjectStyle = "background:#fde0c5; color:#7a3a00; font-weight:600";
}  // namespace

QString highlightedSentence(const data::Example& example) {
  const QString sentence = QString::fromStdString(example.sentence);
  const auto codePoints = sentence.toUcs4();
  const auto mark = [&](int i) -> const char* {
    if (i >= example.subject.start && i <= example.subject.end) return kSubjectStyle;
    if (i >= example.object.start && i <= example.object.end) return kObjectStyle;
    return nullptr;
  };
  QString html;
  const char* open = nullptr;
  for (int i = 0; i < codePoints.size(); ++i) {
    const char* style = mark(i);
    if (style != open) {
      if (open) html += "</span>";
      if (style) html += QString("<span style=\"%1\">").arg(QLatin1String(style));
      open = style;
    }
    const char32_t c = codePoints[i];
    html += QString::fromUcs4(&c, 1).toHtmlEscaped();
  }
  if (open) html += "</span>";
  return html;
}

ExamplesBrowser::ExamplesBrowser(QWidget* parent) : QTextBrowser(parent) {
  setOpenLinks(false);
  setPlaceholderText(tr("Click a cell of the confusion matrix to list its rows."));
  connect(&watcher_, &QFutureWatcherBase::finished, this, [this] {
    const auto rows = watcher_.result();
    if (rows->source != readingSource_) return;  // a read replaced by a newer one
    readingSource_ = 0;
    if (rows->source != source_) return;  // read for a run no longer shown
    rows_ = rows;
    if (waiting_) render();
  });
}

void ExamplesBrowser::setSource(const QString& trainPath, data::DatasetFormat format, const QString& labelsPath) {
  if (trainPath == trainPath_ && format == format_ && labelsPath == labelsPath_) return;
  trainPath_ = trainPath;
  format_ = format;
  labelsPath_ = labelsPath;
  ++source_;
  rows_.reset();
  clearRows();
}

void ExamplesBrowser::clearRows() {
  ids_.clear();
  waiting_ = false;
  shown_ = 0;
  clear();
}

void ExamplesBrowser::showRows(const QStringList& ids, const QString& gold, const QString& predicted) {
  ids_ = ids;
  gold_ = gold;
  predicted_ = predicted;
  if (rows_) return render();
  waiting_ = true;
  shown_ = 0;
  setHtml(tr("<p>Reading %1…</p>").arg(trainPath_.toHtmlEscaped()));
  if (readingSource_ != source_) startReading();
}

void ExamplesBrowser::startReading() {
  // A read of another file still running is left to finish; setFuture stops watching it.
  readingSource_ = source_;
  watcher_.setFuture(QtConcurrent::run([path = trainPath_.toStdString(), format = format_,
                                        labelsPath = labelsPath_.toStdString(), source = source_] {
    auto rows = std::make_shared<Rows>();
    rows->source = source;
    try {
      data::LabelMap labels;
      if (!labelsPath.empty()) labels = data::LabelMap::readFile(labelsPath);
      data::ReadOptions options;
      options.policy = data::BadRowPolicy::Skip;  // list what can be listed
      data::LoadReport report;
      const auto dataset = data::loadDataset(path, format, labels, options, report);
      for (const auto& row : dataset.rows) rows->byId.insert(QString::fromStdString(row.id), row);
    } catch (const std::exception& e) {
      rows->error = QString::fromStdString(e.what());
    }
    return std::shared_ptr<const Rows>(rows);
  }));
}

void ExamplesBrowser::render() {
  waiting_ = false;
  shown_ = 0;
  QString html = tr("<p><b>%n row(s)</b> with gold <b>%1</b> predicted as <b>%2</b>", nullptr, ids_.size())
                     .arg(gold_.toHtmlEscaped(), predicted_.toHtmlEscaped());
  if (ids_.size() > kMaxShown) html += tr(" (the first %1 shown)").arg(kMaxShown);
  html += QStringLiteral(". <span style=\"%1\">&nbsp;subject&nbsp;</span> <span style=\"%2\">&nbsp;object&nbsp;</span></p>")
              .arg(QLatin1String(kSubjectStyle), QLatin1String(kObjectStyle));
  if (!rows_->error.isEmpty())
    html += tr("<p style=\"color:#c0392b\">The training file cannot be read: %1</p>").arg(rows_->error.toHtmlEscaped());
  html += "<table cellspacing=0 cellpadding=4 width=100%>";
  for (const auto& id : ids_) {
    if (shown_ == kMaxShown) break;
    const auto it = rows_->byId.constFind(id);
    const QString sentence = it == rows_->byId.constEnd() ? tr("<i>(not in %1)</i>").arg(trainPath_.toHtmlEscaped())
                                                          : highlightedSentence(*it);
    html += QString("<tr><td width=1% style=\"color:#666; white-space:nowrap\">%1</td><td>%2</td></tr>").arg(id.toHtmlEscaped(), sentence);
    ++shown_;
  }
  html += "</table>";
  setHtml(html);
  emit rowsShown(shown_);
}

}  // namespace foldbench::ui
