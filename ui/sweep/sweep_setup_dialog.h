#pragma once
// Setting up a sweep: the swept fields (each prefilled with its declared range or choices by
// sweep::dimensionFromField, narrowed here: low, high, log; or the choices to try), the sampler,
// the budget (trials and/or minutes), the racing rule (test and alpha) and the sweep's name.
// Opened by "Sweep this field…" on a field of the experiment form; while it is open, the same
// action adds the field to it. The problems of the spec against the editor's config
// (sweep::checkSpec) are listed live and keep Start disabled.
#include <QDialog>
#include <vector>

#include "foldbench/sweep/sweep_spec.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace foldbench::ui {

class SweepSetupDialog : public QDialog {
  Q_OBJECT
 public:
  explicit SweepSetupDialog(QWidget* parent = nullptr);

  // The config every trial starts from (the editor's); problems are checked against it.
  void setBase(const config::ExperimentConfig& base);
  // Adds `key` with its declared range or choices; false (and `error` says why) when the field
  // cannot be swept. A field already there is left as it is.
  bool addField(const QString& key, QString* error = nullptr);
  void removeField(const QString& key);
  QStringList fields() const;

  // Narrows a numeric field's range (and log), or sets a choice field's choices.
  void setRange(const QString& key, double low, double high, bool log);
  void setChoices(const QString& key, const QStringList& choices);
  void setName(const QString& name);
  void setSampler(sweep::SamplerKind sampler);
  void setBudget(int trials, double minutes);
  void setRacing(sweep::RaceTest test, double alpha, int minFolds = 2);
  void setSeed(std::uint64_t seed);

  QString name() const;
  sweep::SweepSpec spec() const;
  // The spec's problems (sweep::checkSpec), a name missing included; empty: Start is enabled.
  QStringList problems() const;
  QPushButton* startButton() const { return start_; }
  // Shown under the settings when starting failed (the tracker refused the name, say).
  void showError(const QString& message);

 signals:
  // Start was clicked with no problems; the window starts the sweep and closes the dialog, or
  // calls showError.
  void startRequested();

 private:
  struct Row {
    sweep::Dimension dimension;
    QLabel* label = nullptr;
    QWidget* low = nullptr;   // QSpinBox or ScientificSpinBox (numbers)
    QWidget* high = nullptr;
    QCheckBox* log = nullptr;
    QLineEdit* choices = nullptr;  // "pair, punct"
    QLabel* dots = nullptr;        // ".." between the bounds
    QPushButton* remove = nullptr;
  };
  Row* row(const QString& key);
  void refreshAddable();
  void revalidate();
  sweep::Dimension dimensionOf(const Row& row) const;

  config::ExperimentConfig base_;
  std::vector<Row> rows_;
  QGridLayout* grid_;
  QLabel* empty_;
  QComboBox* addable_;
  QLineEdit* name_;
  QComboBox* sampler_;
  QSpinBox* startup_;
  QSpinBox* trials_;
  QSpinBox* minutes_;
  QComboBox* test_;
  QDoubleSpinBox* alpha_;
  QSpinBox* minFolds_;
  QSpinBox* seed_;
  QLabel* problems_;
  QLabel* error_;
  QPushButton* start_;
  bool nameEdited_ = false;
};

}  // namespace foldbench::ui
