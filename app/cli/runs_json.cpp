#include "runs_json.h"

namespace foldbench::cli {

Json fieldJson(const tracker::Field& field) {
  if (field.number) return *field.number;
  return field.text;
}

Json parameterJson(const std::string& text) {
  auto parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? Json(text) : parsed;
}

namespace {

Json optionalNumber(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json testsJson(const analysis::PairTests& t, const std::vector<std::string>& runs) {
  Json o;
  o["run"] = runs.at(t.run);
  o["baseline"] = runs.at(0);
  if (t.tTest) {
    o["t_test"] = {{"folds", t.tTest->folds}, {"mean_difference", t.tTest->meanDifference}, {"t", t.tTest->t},
                   {"degrees_of_freedom", t.tTest->degreesOfFreedom}, {"p_value", t.tTest->pValue},
                   {"confidence", {t.tTest->confidence.low, t.tTest->confidence.high}}, {"level", t.tTest->level}};
  } else {
    o["t_test"] = nullptr;
    o["t_test_not_comparable"] = t.foldsNotComparable;
  }
  if (t.mcnemar) {
    o["mcnemar"] = {{"only_baseline_right", t.mcnemar->onlyA}, {"only_run_right", t.mcnemar->onlyB},
                    {"exact", t.mcnemar->exact}, {"statistic", t.mcnemar->statistic}, {"p_value", t.mcnemar->pValue}};
  } else {
    o["mcnemar"] = nullptr;
  }
  if (t.bootstrap) {
    o["bootstrap"] = {{"difference", t.bootstrap->difference},
                      {"confidence", {t.bootstrap->confidence.low, t.bootstrap->confidence.high}},
                      {"level", t.bootstrap->level}, {"resamples", t.bootstrap->resamples}};
  } else {
    o["bootstrap"] = nullptr;
  }
  if (!t.rowsNotComparable.empty()) o["rows_not_comparable"] = t.rowsNotComparable;
  return o;
}

}  // namespace

Json runDetailJson(const tracker::RunDetail& d, const std::string& status) {
  Json o;
  o["id"] = d.id;
  o["uid"] = d.info.uid;
  o["name"] = d.info.name;
  o["status"] = status;
  o["experiment"] = d.info.experiment;
  o["created_at"] = d.info.createdAt;  // seconds since the epoch
  o["finished_at"] = d.info.finishedAt > 0 ? Json(d.info.finishedAt) : Json(nullptr);
  o["host"] = d.info.host;
  o["device"] = d.info.device;
  o["threads"] = d.info.threads;
  o["seed"] = d.info.seed;
  o["run_dir"] = d.info.runDir;
  o["error"] = d.info.error;
  o["tags"] = d.tags;
  o["notes"] = Json::array();
  for (const auto& [when, text] : d.notes) o["notes"].push_back({{"at", when}, {"text", text}});
  o["folds"] = Json::array();
  for (const auto& f : d.folds)
    o["folds"].push_back({{"fold", f.fold}, {"status", f.status}, {"best_epoch", f.bestEpoch},
                          {"train_acc", f.trainAccuracy}, {"val_acc", f.validationAccuracy},
                          {"val_micro_f1", f.validationMicroF1}, {"val_loss", f.validationLoss},
                          {"checkpoint", f.checkpoint}});
  o["fields"] = Json::object();
  for (const auto& f : d.fields) o["fields"][f.key] = fieldJson(f);
  o["params"] = Json::object();
  for (const auto& [key, text] : d.params) o["params"][key] = parameterJson(text);
  o["artifacts"] = Json::array();
  for (const auto& a : d.artifacts)
    o["artifacts"].push_back({{"kind", a.kind}, {"size", a.size}, {"sha256", a.sha256}, {"path", a.path}});
  return o;
}

Json comparisonJson(const analysis::RunComparison& c, bool allParams) {
  Json o;
  o["runs"] = c.runs;
  o["fields"] = Json::array();
  for (const auto& p : c.parameters) {
    if (!p.differs && !allParams) continue;
    Json values = Json::array();
    for (const auto& v : p.values) values.push_back(v.empty() ? Json(nullptr) : parameterJson(v));
    o["fields"].push_back({{"field", "params." + p.key}, {"values", values}, {"differs", p.differs}});
  }
  for (std::size_t fold = 0; fold < c.foldAccuracy.size(); ++fold) {
    Json values = Json::array();
    for (const auto& v : c.foldAccuracy[fold]) values.push_back(optionalNumber(v));
    o["fields"].push_back({{"field", "fold/" + std::to_string(fold) + "/val/acc"}, {"values", values}});
  }
  Json acc = Json::array(), f1 = Json::array(), rows = Json::array();
  for (const auto& s : c.oof) {
    acc.push_back(s.available ? Json(s.accuracy) : Json(nullptr));
    f1.push_back(s.available ? Json(s.relationMicroF1) : Json(nullptr));
    rows.push_back(s.available ? Json(s.rows) : Json(nullptr));
  }
  o["fields"].push_back({{"field", "oof/acc"}, {"values", acc}});
  o["fields"].push_back({{"field", "oof/micro_f1"}, {"values", f1}});
  o["fields"].push_back({{"field", "oof/rows"}, {"values", rows}});
  o["tests"] = Json::array();
  for (const auto& t : c.tests) o["tests"].push_back(testsJson(t, c.runs));
  return o;
}

}  // namespace foldbench::cli
