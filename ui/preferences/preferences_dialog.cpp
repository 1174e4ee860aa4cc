#include "preferences/preferences_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>

#include "app_settings.h"
#include "foldbench/platform/blas_kernels.h"

namespace foldbench::ui {

PreferencesDialog::PreferencesDialog(QWidget* parent)
    : QDialog(parent), database_(new QLineEdit), interval_(new QSpinBox), blasAuto_(new QCheckBox(tr("Choose automatically"))) {
  setWindowTitle(tr("Preferences"));
  database_->setText(settings::kDatabasePath.read().toString());
  database_->setPlaceholderText(QString::fromStdString(platform::defaultDatabasePath()));
  database_->setToolTip(tr("SQLite tracker file every run is recorded in. Empty: experiments.db in the working "
                           "directory when it has one, else in $XDG_DATA_HOME/foldbench (~/.local/share/foldbench)."));
  auto* browse = new QToolButton;
  browse->setText(QStringLiteral("…"));
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Tracker Database"), database_->text(),
                                                      tr("SQLite databases (*.db);;All files (*)"), nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty()) database_->setText(path);
  });
  auto* row = new QHBoxLayout;
  row->addWidget(database_, 1);
  row->addWidget(browse);
  interval_->setRange(20, 2000);
  interval_->setSuffix(tr(" ms"));
  interval_->setValue(settings::kChartIntervalMs.read().toInt());
  interval_->setToolTip(tr("How often live charts take in new points while training"));
  blasAuto_->setChecked(settings::kBlasAuto.read().toBool());
  blasAuto_->setToolTip(tr("Replace OpenBLAS's kernels when it fell back below what the CPU supports "
                           "(takes effect at the next start). Now: %1")
                            .arg(QString::fromStdString(platform::blasSummary())));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Tracker database"), row);
  form->addRow(tr("Chart update interval"), interval_);
  form->addRow(tr("BLAS kernels"), blasAuto_);
  form->addRow(buttons);
}

void PreferencesDialog::accept() {
  // Cleared: back to the workspace rule, which may name another file in another folder.
  if (database_->text().trimmed().isEmpty())
    QSettings().remove(QLatin1String(settings::kDatabasePath.key));
  else
    settings::kDatabasePath.write(database_->text().trimmed());
  settings::kChartIntervalMs.write(interval_->value());
  settings::kBlasAuto.write(blasAuto_->isChecked());
  QDialog::accept();
}

}  // namespace foldbench::ui
