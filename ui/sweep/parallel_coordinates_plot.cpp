#include "sweep/parallel_coordinates_plot.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>

#include "sweep/trial_table_model.h"

namespace foldbench::ui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kGrab = 10;  // pixels either side of an axis that start a brush

QString shortNumber(double v, bool integer) {
  if (integer) return QString::number(std::llround(v));
  if (v == 0.0) return QStringLiteral("0");
  const double a = std::abs(v);
  if (a >= 1e-3 && a < 1e4) return QString::number(v, 'g', 3);
  return QString::number(v, 'e', 0).replace(QStringLiteral("e-0"), QStringLiteral("e-")).replace(QStringLiteral("e+0"), QStringLiteral("e"));
}
}  // namespace

QColor scoreRamp(double t) {
  // ColorBrewer OrRd, light (worse) to dark (better).
  static const QColor stops[] = {QColor(0xfd, 0xbb, 0x84), QColor(0xfc, 0x8d, 0x59), QColor(0xe3, 0x4a, 0x33),
                                 QColor(0xb3, 0x00, 0x00), QColor(0x6b, 0x00, 0x00)};
  constexpr int n = sizeof stops / sizeof stops[0];
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (n - 1);
  const int i = std::min(n - 2, static_cast<int>(t));
  const double f = t - i;
  const auto mix = [f](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
  return QColor(mix(stops[i].red(), stops[i + 1].red()), mix(stops[i].green(), stops[i + 1].green()),
                mix(stops[i].blue(), stops[i + 1].blue()));
}

ParallelCoordinatesPlot::ParallelCoordinatesPlot(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
  setToolTip(tr("Drag along an axis to keep the trials whose lines pass there; click an axis to clear its range"));
}

void ParallelCoordinatesPlot::setSnapshot(const SweepSnapshot& snapshot) {
  std::vector<Axis> axes;
  if (snapshot.hasSweep) {
    for (const auto& d : snapshot.spec.space) {
      Axis a;
      a.key = QString::fromStdString(d.key);
      if (d.kind == sweep::DimensionKind::Choice) {
        a.kind = AxisKind::Choice;
        for (const auto& c : d.choices) a.choices << QString::fromStdString(c);
        a.low = 0.0;
        a.high = std::max(0, static_cast<int>(a.choices.size()) - 1);
      } else {
        a.kind = d.log && d.low > 0.0 ? AxisKind::Log : AxisKind::Linear;
        a.low = d.low;
        a.high = d.high;
        a.integer = d.kind == sweep::DimensionKind::Int;
      }
      axes.push_back(a);
    }
    // Axes are named as the table's columns: "lr", unless another swept field has that name.
    for (auto& a : axes) {
      a.label = a.key.section('.', -1);
      for (const auto& b : axes)
        if (&a != &b && b.key.section('.', -1) == a.label) a.label = a.key;
    }
    Axis score;
    score.key = tr("val acc");
    score.label = score.key;
    score.kind = AxisKind::Score;
    axes.push_back(score);
  }
  // A new sweep or space: the brushes no longer mean anything.
  const bool sameAxes = snapshot.hasSweep && snapshot.sweep.id == sweepId_ && axes.size() == axes_.size() &&
                        std::equal(axes.begin(), axes.end(), axes_.begin(),
                                   [](const Axis& a, const Axis& b) { return a.key == b.key && a.kind == b.kind; });
  sweepId_ = snapshot.hasSweep ? snapshot.sweep.id : -1;

  lines_.clear();
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& t : snapshot.trials) {
    Line line;
    line.trial = t.trial;
    line.status = t.status;
    line.values.assign(axes.size(), kNaN);
    for (std::size_t i = 0; i + 1 < axes.size(); ++i) {
      for (const auto& [key, value] : t.params) {
        if (QString::fromStdString(key) != axes[i].key) continue;
        const QString text = QString::fromStdString(value);
        if (axes[i].kind == AxisKind::Choice) {
          const int index = static_cast<int>(axes[i].choices.indexOf(text));
          if (index >= 0) line.values[i] = index;
        } else {
          bool ok = false;
          const double v = text.toDouble(&ok);
          if (ok) line.values[i] = v;
        }
      }
    }
    if (!t.scores.empty()) {
      line.hasScore = true;
      line.score = t.mean;
      line.values.back() = t.mean;
      lo = std::min(lo, t.mean);
      hi = std::max(hi, t.mean);
    }
    lines_.push_back(std::move(line));
  }
  // Colours span the finished trials' scores, so that close good scores still differ (pruned
  // trials' partial means, often far below, are grey anyway).
  double flo = std::numeric_limits<double>::infinity(), fhi = -flo;
  for (const auto& line : lines_)
    if (line.hasScore && line.status == tracker::TrialStatus::Finished) flo = std::min(flo, line.score), fhi = std::max(fhi, line.score);
  if (!axes.empty()) {
    auto& score = axes.back();
    if (std::isfinite(lo)) {
      const double pad = std::max(0.005, (hi - lo) * 0.05);
      score.low = std::max(0.0, lo - pad);
      score.high = std::min(1.0, hi + pad);
      if (score.high <= score.low) score.high = score.low + 0.01;
    } else {
      score.low = 0.0;
      score.high = 1.0;
    }
  }
  if (fhi > flo) {
    colorLow_ = flo;
    colorHigh_ = fhi;
  } else if (!axes.empty()) {
    colorLow_ = axes.back().low;
    colorHigh_ = axes.back().high;
  }
  axes_ = std::move(axes);
  if (!sameAxes) {
    const bool had = isBrushed();
    brushes_.assign(axes_.size(), std::nullopt);
    if (had) emit brushesChanged();
  } else if (isBrushed()) {
    emit brushesChanged();  // new or changed trials may pass or not
  }
  update();
}

int ParallelCoordinatesPlot::axisIndex(const QString& key) const {
  for (std::size_t i = 0; i < axes_.size(); ++i)
    if (axes_[i].key == key) return static_cast<int>(i);
  return -1;
}

void ParallelCoordinatesPlot::setBrush(int axis, double from, double to) {
  if (axis < 0 || axis >= axisCount()) return;
  brushes_[static_cast<std::size_t>(axis)] = std::make_pair(std::min(from, to), std::max(from, to));
  update();
  emit brushesChanged();
}

void ParallelCoordinatesPlot::clearBrush(int axis) {
  if (axis < 0 || axis >= axisCount() || !brushes_[static_cast<std::size_t>(axis)]) return;
  brushes_[static_cast<std::size_t>(axis)].reset();
  update();
  emit brushesChanged();
}

void ParallelCoordinatesPlot::clearBrushes() {
  if (!isBrushed()) return;
  for (auto& b : brushes_) b.reset();
  update();
  emit brushesChanged();
}

std::optional<std::pair<double, double>> ParallelCoordinatesPlot::brush(int axis) const {
  if (axis < 0 || axis >= axisCount()) return std::nullopt;
  return brushes_[static_cast<std::size_t>(axis)];
}

bool ParallelCoordinatesPlot::isBrushed() const {
  return std::any_of(brushes_.begin(), brushes_.end(), [](const auto& b) { return b.has_value(); });
}

bool ParallelCoordinatesPlot::passes(const Line& line) const {
  for (std::size_t i = 0; i < brushes_.size(); ++i) {
    if (!brushes_[i]) continue;
    const double v = line.values[i];
    if (!std::isfinite(v)) return false;
    // Compared on the axis, so a brush drawn on a log axis means what it shows.
    const double f = fraction(static_cast<int>(i), v);
    const double a = fraction(static_cast<int>(i), brushes_[i]->first), b = fraction(static_cast<int>(i), brushes_[i]->second);
    if (f < std::min(a, b) - 1e-9 || f > std::max(a, b) + 1e-9) return false;
  }
  return true;
}

QSet<int> ParallelCoordinatesPlot::passingTrials() const {
  QSet<int> out;
  for (const auto& line : lines_)
    if (passes(line)) out.insert(line.trial);
  return out;
}

QRect ParallelCoordinatesPlot::plotRect() const {
  const QFontMetrics fm(font());
  // Above: the axis names; below: the brush hint line; left: the first axis's ticks; right: the
  // score axis's colour bar and ticks.
  return rect().adjusted(fm.horizontalAdvance(QStringLiteral("0.0000")) + 18, 2 * fm.height() + 6,
                         -(fm.horizontalAdvance(QStringLiteral("0.000")) + 30), -(fm.height() + 10));
}

int ParallelCoordinatesPlot::axisX(int axis) const {
  const QRect r = plotRect();
  if (axisCount() <= 1) return r.center().x();
  return r.left() + static_cast<int>(std::lround(static_cast<double>(r.width()) * axis / (axisCount() - 1)));
}

double ParallelCoordinatesPlot::fraction(int axis, double value) const {
  const Axis& a = axes_[static_cast<std::size_t>(axis)];
  if (a.kind == AxisKind::Choice && a.choices.size() <= 1) return 0.5;
  double lo = a.low, hi = a.high, v = value;
  if (a.kind == AxisKind::Log) {
    lo = std::log10(lo);
    hi = std::log10(hi);
    v = value > 0.0 ? std::log10(value) : lo;
  }
  if (hi <= lo) return 0.5;
  return (v - lo) / (hi - lo);
}

double ParallelCoordinatesPlot::valueAt(int axis, double f) const {
  const Axis& a = axes_[static_cast<std::size_t>(axis)];
  if (a.kind == AxisKind::Log) return std::pow(10.0, std::log10(a.low) + f * (std::log10(a.high) - std::log10(a.low)));
  return a.low + f * (a.high - a.low);
}

double ParallelCoordinatesPlot::yOf(double f) const {
  const QRect r = plotRect();
  return r.bottom() - f * r.height();
}

double ParallelCoordinatesPlot::fractionOfY(double y) const {
  const QRect r = plotRect();
  return r.height() > 0 ? std::clamp((r.bottom() - y) / r.height(), 0.0, 1.0) : 0.0;
}

QPoint ParallelCoordinatesPlot::pointOn(int axis, double value) const {
  return QPoint(axisX(axis), static_cast<int>(std::lround(yOf(fraction(axis, value)))));
}

QColor ParallelCoordinatesPlot::scoreColor(double score) const {
  return colorHigh_ > colorLow_ ? scoreRamp((score - colorLow_) / (colorHigh_ - colorLow_)) : scoreRamp(0.5);
}

int ParallelCoordinatesPlot::axisNear(const QPoint& at) const {
  const QRect r = plotRect();
  if (at.y() < r.top() - 8 || at.y() > r.bottom() + 8) return -1;
  for (int i = 0; i < axisCount(); ++i)
    if (std::abs(at.x() - axisX(i)) <= kGrab) return i;
  return -1;
}

QStringList ParallelCoordinatesPlot::ticks(int axis, std::vector<double>* values) const {
  const Axis& a = axes_[static_cast<std::size_t>(axis)];
  QStringList labels;
  values->clear();
  if (a.kind == AxisKind::Choice) {
    for (int i = 0; i < a.choices.size(); ++i) {
      values->push_back(i);
      labels << a.choices[i];
    }
    return labels;
  }
  if (a.kind == AxisKind::Log) {
    const int first = static_cast<int>(std::ceil(std::log10(a.low) - 1e-9));
    const int last = static_cast<int>(std::floor(std::log10(a.high) + 1e-9));
    const int step = std::max(1, (last - first + 5) / 6);
    for (int e = first; e <= last; e += step) {
      values->push_back(std::pow(10.0, e));
      labels << shortNumber(std::pow(10.0, e), false);
    }
    if (values->size() >= 2) return labels;
    values->clear();
    labels.clear();
  }
  constexpr int kTicks = 5;
  for (int i = 0; i < kTicks; ++i) {
    const double v = valueAt(axis, static_cast<double>(i) / (kTicks - 1));
    if (a.integer && !values->empty() && std::llround(v) == std::llround(values->back())) continue;
    values->push_back(a.integer ? static_cast<double>(std::llround(v)) : v);
    labels << (a.kind == AxisKind::Score ? QString::number(v, 'f', 3) : shortNumber(v, a.integer));
  }
  return labels;
}

void ParallelCoordinatesPlot::drawAxis(QPainter& p, int axis) const {
  const Axis& a = axes_[static_cast<std::size_t>(axis)];
  const QRect r = plotRect();
  const int x = axisX(axis);
  const QPalette pal = palette();
  const QFontMetrics fm(font());
  const bool score = a.kind == AxisKind::Score;
  if (score) {
    // The score axis carries the colour bar of the lines, where the finished scores lie.
    p.setPen(QPen(pal.color(QPalette::Text), 1.2));
    p.drawLine(x, r.top(), x, r.bottom());
    const int top = static_cast<int>(std::lround(yOf(fraction(axis, colorHigh_))));
    const int bottom = static_cast<int>(std::lround(yOf(fraction(axis, colorLow_))));
    QLinearGradient g(0, bottom, 0, top);
    for (int i = 0; i <= 8; ++i) g.setColorAt(i / 8.0, scoreRamp(i / 8.0));
    p.fillRect(QRect(x - 3, top, 7, std::max(2, bottom - top + 1)), g);
  } else {
    p.setPen(QPen(pal.color(QPalette::Text), axis == hoverAxis_ ? 2.0 : 1.2));
    p.drawLine(x, r.top(), x, r.bottom());
  }
  // The name above, elided to the space between axes; the kind under it.
  const int room = axisCount() > 1 ? r.width() / (axisCount() - 1) - 6 : r.width();
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  const QFontMetrics bfm(bold);
  const QString name = bfm.elidedText(a.label, Qt::ElideMiddle, std::max(40, room));
  int nameLeft = x - bfm.horizontalAdvance(name) / 2;
  nameLeft = std::clamp(nameLeft, 2, width() - 2 - bfm.horizontalAdvance(name));
  p.setPen(pal.color(QPalette::Text));
  p.drawText(QPoint(nameLeft, fm.ascent() + 2), name);
  p.setFont(font());
  const QString kind = a.kind == AxisKind::Log ? tr("log") : a.kind == AxisKind::Choice ? tr("choice") : score ? tr("mean") : QString();
  if (!kind.isEmpty()) {
    p.setPen(pal.color(QPalette::PlaceholderText));
    int kindLeft = std::clamp(x - fm.horizontalAdvance(kind) / 2, 2, width() - 2 - fm.horizontalAdvance(kind));
    p.drawText(QPoint(kindLeft, fm.height() + fm.ascent() + 2), kind);
  }
  // Ticks: on the left of each axis, the score's on its right (beside its colour bar).
  std::vector<double> values;
  const QStringList labels = ticks(axis, &values);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int y = static_cast<int>(std::lround(yOf(fraction(axis, values[i]))));
    const QString text = labels[static_cast<int>(i)];
    const int w = fm.horizontalAdvance(text);
    QRect box = score ? QRect(x + 7, y - fm.height() / 2, w + 2, fm.height()) : QRect(x - 6 - w, y - fm.height() / 2, w + 2, fm.height());
    QColor halo = pal.color(QPalette::Base);
    halo.setAlpha(210);
    p.fillRect(box, halo);
    p.setPen(pal.color(QPalette::Text));
    p.drawLine(score ? x + 3 : x - 4, y, score ? x + 6 : x, y);
    p.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, text);
  }
}

void ParallelCoordinatesPlot::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  const QFontMetrics fm(font());
  if (axes_.empty()) {
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(rect(), Qt::AlignCenter, tr("No sweep yet: right-click a field of the experiment form, Sweep this field…"));
    return;
  }
  const bool brushed = isBrushed();
  const auto pathOf = [this](const Line& line) {
    QPainterPath path;
    bool started = false;
    for (int i = 0; i < axisCount(); ++i) {
      const double v = line.values[static_cast<std::size_t>(i)];
      if (!std::isfinite(v)) {
        started = false;  // a gap: an unknown value
        continue;
      }
      const QPointF point(axisX(i), yOf(fraction(i, v)));
      if (started) path.lineTo(point);
      else path.moveTo(point);
      started = true;
    }
    return path;
  };
  // Faded first, then pruned and failed (grey), then running and pending, then finished by
  // score, the best on top.
  std::vector<const Line*> order;
  for (const auto& line : lines_) order.push_back(&line);
  const auto rank = [&](const Line* l) {
    if (brushed && !passes(*l)) return 0;
    switch (l->status) {
      case tracker::TrialStatus::Pruned:
      case tracker::TrialStatus::Failed: return 1;
      case tracker::TrialStatus::Pending:
      case tracker::TrialStatus::Running: return 2;
      case tracker::TrialStatus::Finished: return 3;
    }
    return 3;
  };
  std::stable_sort(order.begin(), order.end(), [&](const Line* a, const Line* b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return a->score < b->score;
  });
  for (const Line* line : order) {
    QPen pen;
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    if (brushed && !passes(*line)) {
      pen.setColor(QColor(0xc8, 0xc8, 0xc8, 90));
      pen.setWidthF(1.0);
    } else if (line->status == tracker::TrialStatus::Pruned || line->status == tracker::TrialStatus::Failed) {
      pen.setColor(QColor(0x9a, 0x9a, 0x9a, 170));
      pen.setWidthF(1.3);
    } else if (line->status == tracker::TrialStatus::Running || line->status == tracker::TrialStatus::Pending) {
      pen.setColor(trialStatusColor(line->status));
      pen.setWidthF(1.6);
      pen.setStyle(Qt::DashLine);
    } else {
      pen.setColor(scoreColor(line->score));
      pen.setWidthF(2.0);
    }
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawPath(pathOf(*line));
  }
  for (int i = 0; i < axisCount(); ++i) drawAxis(p, i);
  // Brushes: a translucent band on the axis, with its ends.
  const auto drawBand = [&](int axis, double fa, double fb) {
    const int x = axisX(axis);
    const double top = yOf(std::max(fa, fb)), bottom = yOf(std::min(fa, fb));
    const QRectF band(x - 7, top, 14, std::max(2.0, bottom - top));
    p.setPen(QPen(QColor(0x1f, 0x77, 0xb4), 1.2));
    p.setBrush(QColor(0x1f, 0x77, 0xb4, 70));
    p.drawRect(band);
  };
  for (int i = 0; i < axisCount(); ++i)
    if (const auto& b = brushes_[static_cast<std::size_t>(i)]; b && i != dragAxis_)
      drawBand(i, fraction(i, b->first), fraction(i, b->second));
  if (dragAxis_ >= 0) drawBand(dragAxis_, dragFrom_, dragTo_);
  // The hint line under the plot.
  p.setPen(pal.color(QPalette::PlaceholderText));
  const QString hint = brushed ? tr("%1 of %2 trials pass the ranges; click an axis to clear its range")
                                     .arg(passingTrials().size())
                                     .arg(lines_.size())
                               : tr("Drag along an axis to select a range; grey: pruned, dashed: training");
  p.drawText(QRect(0, height() - fm.height() - 4, width(), fm.height()), Qt::AlignCenter, hint);
}

void ParallelCoordinatesPlot::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  const int axis = axisNear(event->position().toPoint());
  if (axis < 0) return QWidget::mousePressEvent(event);
  dragAxis_ = axis;
  dragFrom_ = dragTo_ = fractionOfY(event->position().y());
  update();
}

void ParallelCoordinatesPlot::mouseMoveEvent(QMouseEvent* event) {
  if (dragAxis_ >= 0) {
    dragTo_ = fractionOfY(event->position().y());
    update();
    return;
  }
  const int near = axisNear(event->position().toPoint());
  if (near != hoverAxis_) {
    hoverAxis_ = near;
    setCursor(near >= 0 ? Qt::SizeVerCursor : Qt::ArrowCursor);
    if (near >= 0) {
      const Axis& a = axes_[static_cast<std::size_t>(near)];
      QString range = a.kind == AxisKind::Choice ? a.choices.join(QStringLiteral(" | "))
                      : a.kind == AxisKind::Score ? tr("mean validation accuracy over the trained folds")
                                                  : QStringLiteral("%1%2 .. %3").arg(a.kind == AxisKind::Log ? tr("log ") : QString(),
                                                                                  shortNumber(a.low, a.integer), shortNumber(a.high, a.integer));
      QToolTip::showText(event->globalPosition().toPoint(),
                         QStringLiteral("<b>%1</b><br>%2<br><i>%3</i>").arg(a.key.toHtmlEscaped(), range.toHtmlEscaped(),
                                                                           brush(near) ? tr("click to clear the range") : tr("drag to select a range")),
                         this);
    }
    update();
  }
}

void ParallelCoordinatesPlot::mouseReleaseEvent(QMouseEvent* event) {
  if (dragAxis_ < 0 || event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
  const int axis = dragAxis_;
  dragAxis_ = -1;
  dragTo_ = fractionOfY(event->position().y());
  const double pixels = std::abs(dragTo_ - dragFrom_) * plotRect().height();
  if (pixels < 4.0) {
    clearBrush(axis);  // a click
    update();
    return;
  }
  const Axis& a = axes_[static_cast<std::size_t>(axis)];
  double from = valueAt(axis, dragFrom_), to = valueAt(axis, dragTo_);
  if (a.kind == AxisKind::Choice && a.choices.size() <= 1) from = -0.5, to = 0.5;
  setBrush(axis, from, to);
}

void ParallelCoordinatesPlot::leaveEvent(QEvent* event) {
  hoverAxis_ = -1;
  unsetCursor();
  update();
  QWidget::leaveEvent(event);
}

}  // namespace foldbench::ui
