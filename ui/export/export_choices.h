#pragma once
// What the user chose in the export dialog last time, remembered in QSettings (the keys are in
// app_settings.h): the one-click export uses it as it is.
#include <QString>

#include "foldbench/ensemble/export_job.h"

namespace foldbench::ui {

struct ExportChoices {
  QString vote;       // soft | hard | weighted
  QString weights;    // oof | val | greedy
  bool fitPrior = false;
  QString fitMetric;  // accuracy | micro_f1
  QString format;     // pstage | klue | generic
  QString folder;     // where one-click exports go

  static ExportChoices load();
  void save() const;
  ensemble::EnsembleOptions options(const std::string& noRelationLabel) const;
  ensemble::SubmissionFormat submissionFormat() const;
};

}  // namespace foldbench::ui
