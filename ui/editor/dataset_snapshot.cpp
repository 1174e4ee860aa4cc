#include "dataset_snapshot.h"

#include "foldbench/data/readers.h"

namespace foldbench::ui {

DatasetSnapshot loadSnapshot(const std::string& path, const std::string& labelsPath, data::BadRowPolicy policy) {
  DatasetSnapshot snap;
  snap.path = path;
  snap.labelsPath = labelsPath;
  data::ReadOptions options;
  options.policy = policy;
  options.allowBlind = true;
  try {
    if (!labelsPath.empty()) snap.labels = data::LabelMap::readFile(labelsPath);
    const auto dataset = data::loadDataset(path, data::DatasetFormat::Auto, snap.labels, options, snap.report);
    snap.summary = data::summarize(dataset, snap.labels);
    snap.usable = true;
  } catch (const data::DataError& e) {
    snap.error = e.problems().empty() ? e.what() : e.problems().front().toString();
    if (snap.report.problems.empty()) snap.report.problems = e.problems();
    if (snap.report.problemCount == 0) snap.report.problemCount = e.problems().size();
  } catch (const std::exception& e) {
    snap.error = e.what();
  }
  return snap;
}

}  // namespace foldbench::ui
