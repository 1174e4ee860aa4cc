#include "widgets/collapsible_section.h"

#include <QToolButton>
#include <QVBoxLayout>

namespace foldbench::ui {

CollapsibleSection::CollapsibleSection(const QString& title, QWidget* body, bool expanded, QWidget* parent)
    : QWidget(parent), header_(new QToolButton), body_(body) {
  header_->setText(title);
  header_->setCheckable(true);
  header_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  header_->setAutoRaise(true);
  header_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  QFont bold = header_->font();
  bold.setBold(true);
  header_->setFont(bold);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(header_);
  layout->addWidget(body_);
  connect(header_, &QToolButton::toggled, this, &CollapsibleSection::setExpanded);
  setExpanded(expanded);
}

void CollapsibleSection::setExpanded(bool expanded) {
  header_->setChecked(expanded);
  header_->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
  body_->setVisible(expanded);
}

bool CollapsibleSection::isExpanded() const { return header_->isChecked(); }

}  // namespace foldbench::ui
