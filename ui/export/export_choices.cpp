#include "export/export_choices.h"

#include "app_settings.h"

namespace foldbench::ui {

ExportChoices ExportChoices::load() {
  ExportChoices c;
  c.vote = settings::kExportVote.read().toString();
  c.weights = settings::kExportWeights.read().toString();
  c.fitPrior = settings::kExportFitPrior.read().toBool();
  c.fitMetric = settings::kExportFitMetric.read().toString();
  c.format = settings::kExportFormat.read().toString();
  c.folder = settings::kExportFolder.read().toString();
  return c;
}

void ExportChoices::save() const {
  settings::kExportVote.write(vote);
  settings::kExportWeights.write(weights);
  settings::kExportFitPrior.write(fitPrior);
  settings::kExportFitMetric.write(fitMetric);
  settings::kExportFormat.write(format);
  settings::kExportFolder.write(folder);
}

ensemble::EnsembleOptions ExportChoices::options(const std::string& noRelationLabel) const {
  ensemble::EnsembleOptions o;
  o.vote = ensemble::parseVote(vote.toStdString());
  o.runWeights = ensemble::parseRunWeights(weights.toStdString());
  o.fitPrior = fitPrior;
  o.fitMetric = ensemble::parseFitMetric(fitMetric.toStdString());
  o.noRelationLabel = noRelationLabel;
  return o;
}

ensemble::SubmissionFormat ExportChoices::submissionFormat() const {
  return ensemble::parseSubmissionFormat(format.toStdString());
}

}  // namespace foldbench::ui
