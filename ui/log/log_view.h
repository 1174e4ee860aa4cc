#pragma once
// The log dock: messages, warnings and errors of every run, time-stamped.
#include <QPlainTextEdit>

namespace foldbench::ui {

class LogView : public QPlainTextEdit {
  Q_OBJECT
 public:
  enum class Level { Info, Warning, Error };
  explicit LogView(QWidget* parent = nullptr);
  void append(Level level, const QString& text);
  int errorCount() const { return errors_; }

 private:
  int errors_ = 0;
};

}  // namespace foldbench::ui
