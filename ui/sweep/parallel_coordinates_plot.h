#pragma once
// The sweep's trials as lines across parallel axes: one vertical axis per swept field (numbers
// scaled to the searched range, logarithmic axes in the logarithm, choices by category) and a
// last one for the score. Each trial is a polyline coloured by its score (light to dark red
// over the finished trials' scores, the colour bar drawn along the score axis where they lie),
// pruned trials grey, running ones dashed blue; a trial without a score stops before the score
// axis.
//
// Brushing: dragging along an axis selects a range on it; a trial passes when its line crosses
// every brushed range, and the others fade. Clicking an axis clears its brush.
#include <QSet>
#include <QStringList>
#include <QWidget>
#include <optional>
#include <utility>
#include <vector>

#include "sweep/sweep_snapshot.h"

namespace foldbench::ui {

class ParallelCoordinatesPlot : public QWidget {
  Q_OBJECT
 public:
  enum class AxisKind { Linear, Log, Choice, Score };
  struct Axis {
    QString key;    // "train.lr"
    QString label;  // "lr", as the trial table heads it
    AxisKind kind = AxisKind::Linear;
    double low = 0.0, high = 1.0;  // value range (Choice: 0..n-1); Score: from the trials' means
    bool integer = false;
    QStringList choices;
  };

  explicit ParallelCoordinatesPlot(QWidget* parent = nullptr);

  void setSnapshot(const SweepSnapshot& snapshot);

  int axisCount() const { return static_cast<int>(axes_.size()); }
  const Axis& axis(int i) const { return axes_[static_cast<std::size_t>(i)]; }
  int axisIndex(const QString& key) const;

  // A brush in the axis's values (Log: the values themselves; Choice: category indices).
  void setBrush(int axis, double from, double to);
  void clearBrush(int axis);
  void clearBrushes();
  std::optional<std::pair<double, double>> brush(int axis) const;
  bool isBrushed() const;
  // The trials whose lines pass every brush (every trial without one).
  QSet<int> passingTrials() const;
  int trialCount() const { return static_cast<int>(lines_.size()); }

  // Where `value` sits on `axis`, in widget coordinates (for tests and tooltips).
  QPoint pointOn(int axis, double value) const;

 signals:
  void brushesChanged();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  QSize sizeHint() const override { return {720, 300}; }
  QSize minimumSizeHint() const override { return {320, 200}; }

 private:
  struct Line {
    int trial = 0;
    tracker::TrialStatus status = tracker::TrialStatus::Pending;
    std::vector<double> values;  // per axis, NaN where unknown
    double score = 0.0;
    bool hasScore = false;
  };
  QRect plotRect() const;
  int axisX(int axis) const;
  double fraction(int axis, double value) const;  // 0 bottom .. 1 top
  double valueAt(int axis, double fraction) const;
  double yOf(double fraction) const;
  double fractionOfY(double y) const;
  int axisNear(const QPoint& at) const;
  bool passes(const Line& line) const;
  QColor scoreColor(double score) const;
  void drawAxis(QPainter& p, int axis) const;
  QStringList ticks(int axis, std::vector<double>* values) const;

  std::vector<Axis> axes_;
  std::vector<Line> lines_;
  std::vector<std::optional<std::pair<double, double>>> brushes_;
  double colorLow_ = 0.0, colorHigh_ = 1.0;  // the finished trials' scores span the colours
  std::int64_t sweepId_ = -1;
  int dragAxis_ = -1;
  double dragFrom_ = 0.0, dragTo_ = 0.0;
  int hoverAxis_ = -1;
};

// Light to dark red along [0, 1]: the score colours of the sweep view.
QColor scoreRamp(double t);

}  // namespace foldbench::ui
