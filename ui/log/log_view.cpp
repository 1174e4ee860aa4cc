#include "log/log_view.h"

#include <QDateTime>
#include <QFontDatabase>

namespace foldbench::ui {

LogView::LogView(QWidget* parent) : QPlainTextEdit(parent) {
  setObjectName("log");
  setReadOnly(true);
  setMaximumBlockCount(20000);
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void LogView::append(Level level, const QString& text) {
  const QString time = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
  QString escaped = text.toHtmlEscaped();
  escaped.replace('\n', QStringLiteral("<br>&nbsp;&nbsp;"));
  QString line;
  switch (level) {
    case Level::Info: line = QStringLiteral("%1  %2").arg(time, escaped); break;
    case Level::Warning: line = QStringLiteral("%1  <span style='color:#c07000'>warning: %2</span>").arg(time, escaped); break;
    case Level::Error:
      ++errors_;
      line = QStringLiteral("%1  <span style='color:#d0302f'><b>error:</b> %2</span>").arg(time, escaped);
      break;
  }
  appendHtml(line);
}

}  // namespace foldbench::ui
