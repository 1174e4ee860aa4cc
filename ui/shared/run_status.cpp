#include "shared/run_status.h"

#include <QCoreApplication>
#include <QHash>
#include <QPainter>
#include <QPixmap>
#include <cmath>

#include "foldbench/tracker/observed_status.h"
#include "foldbench/tracker/run_store.h"

namespace foldbench::ui {

RunStatus displayedStatus(const tracker::RunInfo& info, double now) {
  return tracker::observedStatus(info, now);
}

QString statusText(RunStatus status) { return QString::fromLatin1(nameOf(status)); }

QColor statusColor(RunStatus status) {
  switch (status) {
    case RunStatus::Queued: return QColor(0x94, 0x67, 0xbd);
    case RunStatus::Running: return QColor(0x1f, 0x77, 0xb4);
    case RunStatus::Finished: return QColor(0x2c, 0xa0, 0x2c);
    case RunStatus::Stopped: return QColor(0x8c, 0x8c, 0x8c);
    case RunStatus::Crashed: return QColor(0xd6, 0x27, 0x28);
    case RunStatus::Failed: return QColor(0xff, 0x7f, 0x0e);
    case RunStatus::Pruned: return QColor(0xbc, 0xbd, 0x22);
  }
  return QColor(0x60, 0x60, 0x60);
}

QIcon statusIcon(RunStatus status) {
  static QHash<int, QIcon> cache;
  if (const auto it = cache.constFind(static_cast<int>(status)); it != cache.constEnd()) return *it;
  QPixmap pixmap(14, 14);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(Qt::NoPen);
  p.setBrush(statusColor(status));
  p.drawEllipse(QRectF(2, 2, 10, 10));
  if (status == RunStatus::Crashed || status == RunStatus::Failed) {
    p.setPen(QPen(Qt::white, 1.6));
    p.drawLine(QPointF(5, 5), QPointF(9, 9));
    p.drawLine(QPointF(9, 5), QPointF(5, 9));
  }
  p.end();
  return cache[static_cast<int>(status)] = QIcon(pixmap);
}

QString formatDuration(double seconds) {
  if (!(seconds >= 0.0)) return {};
  const auto s = static_cast<long>(std::lround(seconds));
  if (s < 60) return QCoreApplication::translate("RunStatus", "%1 s").arg(s);
  if (s < 3600) return QCoreApplication::translate("RunStatus", "%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QCoreApplication::translate("RunStatus", "%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

double runDuration(const tracker::RunInfo& info) {
  // Not started, or a cluster run whose tasks keep no heartbeat here: unknown until its merge.
  if (info.status == RunStatus::Queued || (info.status == RunStatus::Running && tracker::isClusterRun(info))) return -1.0;
  const double end = info.finishedAt > 0.0 ? info.finishedAt : info.heartbeatAt;
  return end > info.createdAt ? end - info.createdAt : 0.0;
}

}  // namespace foldbench::ui
