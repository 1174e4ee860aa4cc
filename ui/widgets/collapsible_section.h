#pragma once
// A titled section whose body folds away under its header button.
#include <QWidget>

class QToolButton;

namespace foldbench::ui {

class CollapsibleSection : public QWidget {
  Q_OBJECT
 public:
  CollapsibleSection(const QString& title, QWidget* body, bool expanded, QWidget* parent = nullptr);
  void setExpanded(bool expanded);
  bool isExpanded() const;
  QWidget* body() const { return body_; }

 private:
  QToolButton* header_;
  QWidget* body_;
};

}  // namespace foldbench::ui
