#pragma once
// The rows behind a confusion-matrix cell: id, gold and predicted label, and the sentence
// with the subject and the object highlighted. The training file is read once, off the GUI
// thread, from the path the run was trained on. A read finished for a file no longer shown
// (the run changed while it ran) is dropped: its rows never reach the list.
#include <QFutureWatcher>
#include <QHash>
#include <QStringList>
#include <QTextBrowser>
#include <memory>

#include "foldbench/data/dataset_format.h"
#include "foldbench/data/example.h"

namespace foldbench::ui {

class ExamplesBrowser : public QTextBrowser {
  Q_OBJECT
 public:
  explicit ExamplesBrowser(QWidget* parent = nullptr);

  // The training file of the run (its config's data section); read lazily.
  void setSource(const QString& trainPath, data::DatasetFormat format, const QString& labelsPath);
  // Lists the rows `ids` (gold `gold`, predicted `predicted`), as soon as the file is read.
  void showRows(const QStringList& ids, const QString& gold, const QString& predicted);
  // Empties the list (another run is shown); the rows read stay for the same file.
  void clearRows();
  int shownRows() const { return shown_; }
  bool isLoading() const { return watcher_.isRunning(); }

 signals:
  void rowsShown(int count);

 private:
  struct Rows {
    QHash<QString, data::Example> byId;
    QString error;
    quint64 source = 0;  // the source_ it was read for
  };
  void startReading();
  void render();

  QString trainPath_, labelsPath_;
  data::DatasetFormat format_ = data::DatasetFormat::Auto;
  std::shared_ptr<const Rows> rows_;
  QFutureWatcher<std::shared_ptr<const Rows>> watcher_;
  QStringList ids_;
  QString gold_, predicted_;
  quint64 source_ = 1;          // bumped by each setSource that changes the file
  quint64 readingSource_ = 0;   // the source_ of the read in progress, 0 when none
  bool waiting_ = false;        // a showRows waits for the file
  int shown_ = 0;
};

// The sentence as HTML with the two entity spans (code-point offsets, end inclusive) marked.
QString highlightedSentence(const data::Example& example);

}  // namespace foldbench::ui
