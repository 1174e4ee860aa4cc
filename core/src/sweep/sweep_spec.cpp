#include "foldbench/sweep/sweep_spec.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "foldbench/util/numbers.h"

namespace foldbench::sweep {

namespace {

using nlohmann::json;

double number(const std::string& key, const std::string& text) {
  const auto value = util::parseDouble(text);
  if (!value) throw std::invalid_argument(key + ": '" + text + "' is not a number");
  return *value;
}

std::vector<std::string> splitOn(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// Which rows fall in which fold depends on these; a trial that changed one would be compared
// with the incumbent on other rows, and the paired test would mean nothing.
bool changesFoldAssignment(const std::string& key) {
  if (key.rfind("data.", 0) == 0) return true;
  if (key == "train.seed") return true;
  return key.rfind("kfold.", 0) == 0 && key.rfind("kfold.oversample", 0) != 0;
}

}  // namespace

Dimension dimensionFromField(const config::FieldSpec& field) {
  Dimension d;
  d.key = field.key();
  switch (field.type) {
    case config::FieldType::Bool:
      d.kind = DimensionKind::Choice;
      d.choices = {"false", "true"};
      return d;
    case config::FieldType::Choice:
      d.kind = DimensionKind::Choice;
      d.choices = field.choices;
      return d;
    case config::FieldType::Int:
    case config::FieldType::Float:
      if (!field.bounded())
        throw std::invalid_argument(d.key + " has no declared range: give one, as " + d.key + "=LOW..HIGH");
      d.kind = field.type == config::FieldType::Int ? DimensionKind::Int : DimensionKind::Float;
      d.low = field.min;
      d.high = field.max;
      d.log = field.logScale && field.min > 0.0;
      return d;
    case config::FieldType::Text:
    case config::FieldType::Path: break;
  }
  throw std::invalid_argument(d.key + " is a " + config::toString(field.type) + " field; only numbers, choices and switches can be swept");
}

Dimension parseDimension(const std::string& text) {
  const auto equals = text.find('=');
  const std::string key = text.substr(0, equals);
  const auto* field = config::findField(key);
  if (!field) throw std::invalid_argument("'" + key + "' is not a config field (see foldbench-cli config docs)");
  Dimension d = dimensionFromField(*field);
  if (equals == std::string::npos) return d;
  std::string range = text.substr(equals + 1);
  // A list of numbers is a choice among them ("train.lr=2e-5,3e-5,5e-5", as papers tune).
  if (d.kind == DimensionKind::Choice || (range.find(',') != std::string::npos && range.find("..") == std::string::npos)) {
    d.kind = DimensionKind::Choice;
    d.log = false;
    d.choices = splitOn(range, ',');
    return d;
  }
  if (range.rfind("log:", 0) == 0) {
    d.log = true;
    range = range.substr(4);
  } else if (range.rfind("lin:", 0) == 0) {
    d.log = false;
    range = range.substr(4);
  }
  const auto dots = range.find("..");
  if (dots == std::string::npos) throw std::invalid_argument(key + ": '" + range + "' is not a range LOW..HIGH");
  d.low = number(key, range.substr(0, dots));
  d.high = number(key, range.substr(dots + 2));
  return d;
}

std::string describe(const Dimension& d) {
  if (d.kind == DimensionKind::Choice) {
    std::string out;
    for (const auto& c : d.choices) out += (out.empty() ? "" : "|") + c;
    return out;
  }
  return std::string(d.log ? "log " : "") + util::formatDouble(d.low) + ".." + util::formatDouble(d.high);
}

std::string toJson(const SweepSpec& spec) {
  json space = json::array();
  for (const auto& d : spec.space) {
    json one = {{"key", d.key}, {"kind", nameOf(d.kind)}};
    if (d.kind == DimensionKind::Choice) {
      one["choices"] = d.choices;
    } else {
      one["low"] = d.low;
      one["high"] = d.high;
      one["log"] = d.log;
    }
    space.push_back(one);
  }
  const json out = {{"space", space},
                    {"sampler", nameOf(spec.sampler)},
                    {"startup_trials", spec.startupTrials},
                    {"seed", spec.seed},
                    {"max_trials", spec.maxTrials},
                    {"max_seconds", spec.maxSeconds},
                    {"racing", {{"test", nameOf(spec.racing.test)}, {"alpha", spec.racing.alpha}, {"min_folds", spec.racing.minFolds}}}};
  return out.dump(2);
}

SweepSpec specFromJson(const std::string& text) {
  try {
    const auto j = json::parse(text);
    SweepSpec spec;
    for (const auto& one : j.at("space")) {
      Dimension d;
      d.key = one.at("key").get<std::string>();
      d.kind = enumFromString<DimensionKind>(one.at("kind").get<std::string>());
      if (d.kind == DimensionKind::Choice) {
        d.choices = one.at("choices").get<std::vector<std::string>>();
      } else {
        d.low = one.at("low").get<double>();
        d.high = one.at("high").get<double>();
        d.log = one.value("log", false);
      }
      spec.space.push_back(d);
    }
    spec.sampler = enumFromString<SamplerKind>(j.value("sampler", std::string("tpe")));
    spec.startupTrials = j.value("startup_trials", spec.startupTrials);
    spec.seed = j.value("seed", spec.seed);
    spec.maxTrials = j.value("max_trials", spec.maxTrials);
    spec.maxSeconds = j.value("max_seconds", spec.maxSeconds);
    if (j.contains("racing")) {
      const auto& r = j.at("racing");
      spec.racing.test = enumFromString<RaceTest>(r.value("test", std::string("t-test")));
      spec.racing.alpha = r.value("alpha", spec.racing.alpha);
      spec.racing.minFolds = r.value("min_folds", spec.racing.minFolds);
    }
    return spec;
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("the sweep's spec: ") + e.what());
  }
}

std::vector<std::string> checkSpec(const SweepSpec& spec, const config::ExperimentConfig& base) {
  std::vector<std::string> problems;
  if (spec.space.empty()) problems.push_back("nothing to sweep: name at least one field (--param FIELD[=RANGE])");
  std::set<std::string> seen;
  for (const auto& d : spec.space) {
    const auto* field = config::findField(d.key);
    if (!field) {
      problems.push_back(d.key + ": not a config field");
      continue;
    }
    if (!seen.insert(d.key).second) problems.push_back(d.key + ": swept twice");
    if (changesFoldAssignment(d.key))
      problems.push_back(d.key + ": changes which rows fall in which fold, so trials could not be compared fold by fold");
    if (d.kind == DimensionKind::Choice) {
      if (d.choices.empty()) problems.push_back(d.key + ": no choices");
      for (const auto& c : d.choices) {
        if (field->isNumber()) {
          const auto number = util::parseDouble(c);
          if (!number) problems.push_back(d.key + ": '" + c + "' is not a number");
          else if (const auto why = config::checkValue(*field, field->type == config::FieldType::Int
                                                                   ? config::FieldValue(static_cast<std::int64_t>(std::llround(*number)))
                                                                   : config::FieldValue(*number));
                   !why.empty())
            problems.push_back(d.key + ": " + c + ": " + why);
          continue;
        }
        const bool isBool = field->type == config::FieldType::Bool;
        if (isBool ? (c != "true" && c != "false") : !config::checkValue(*field, config::FieldValue(c)).empty())
          problems.push_back(d.key + ": '" + c + "' is not one of " + (isBool ? "true|false" : field->range()));
      }
      continue;
    }
    if (!field->isNumber()) {
      problems.push_back(d.key + ": a range needs a number field");
      continue;
    }
    if (!(d.low < d.high)) problems.push_back(d.key + ": the range's low end must be below its high end");
    if (d.log && d.low <= 0.0) problems.push_back(d.key + ": a log range must be above 0");
    if (d.log && d.kind == DimensionKind::Int) problems.push_back(d.key + ": integers are swept on a linear range; drop log:");
    if (field->bounded() && (d.low < field->min || d.high > field->max))
      problems.push_back(d.key + ": " + describe(d) + " leaves the declared range " + field->range());
  }
  // Each end of each range (each choice) with the rest of the base config: a value that the
  // other fields rule out (train.lr below train.min_lr) would fail its trials one by one.
  if (problems.empty()) {
    for (const auto& d : spec.space) {
      std::vector<std::string> values = d.choices;
      if (d.kind != DimensionKind::Choice) values = {util::formatDouble(d.low), util::formatDouble(d.high)};
      for (const auto& v : values) {
        try {
          for (const auto& p : trialConfig(base, {{d.key, v}}).validate()) problems.push_back(d.key + " at " + v + ": " + p);
        } catch (const std::invalid_argument& e) {
          problems.push_back(e.what());
        }
      }
    }
  }
  if (spec.maxTrials < 0) problems.push_back("max_trials must not be negative");
  if (spec.maxTrials == 0 && spec.maxSeconds <= 0.0) problems.push_back("no budget: give a number of trials or a time");
  if (!(spec.racing.alpha > 0.0 && spec.racing.alpha < 1.0)) problems.push_back("racing alpha must lie between 0 and 1");
  // The exact signed-rank test's smallest one-sided p on n folds is 2^-n, and the last fold is
  // never judged: below that, racing would never prune.
  if (spec.racing.test == RaceTest::Wilcoxon && base.kfold.folds >= 2 &&
      spec.racing.alpha <= std::pow(2.0, -(base.kfold.folds - 1)))
    problems.push_back("racing alpha: the Wilcoxon test on " + std::to_string(base.kfold.folds) + " folds cannot reach p below " +
                       util::formatDouble(std::pow(2.0, -(base.kfold.folds - 1))) + ", so it would never prune; raise alpha or use t-test");
  if (spec.racing.minFolds < 2) problems.push_back("racing min_folds must be at least 2: a paired test needs two folds");
  if (!base.kfold.enabled || base.kfold.folds < 2)
    problems.push_back("kfold.enabled: a sweep races over folds, so the base config must train k >= 2 folds");
  if (base.kfold.fold >= 0) problems.push_back("kfold.fold: a sweep trains every fold; set it to -1");
  return problems;
}

config::ExperimentConfig trialConfig(const config::ExperimentConfig& base, const ParamValues& params) {
  config::ExperimentConfig c = base;
  for (const auto& [key, text] : params) {
    const auto* field = config::findField(key);
    if (!field) throw std::invalid_argument(key + ": not a config field");
    config::FieldValue value;
    switch (field->type) {
      case config::FieldType::Bool: value = text == "true"; break;
      case config::FieldType::Int: value = static_cast<std::int64_t>(std::llround(number(key, text))); break;
      case config::FieldType::Float: value = number(key, text); break;
      default: value = text; break;
    }
    if (const auto why = config::checkValue(*field, value); !why.empty()) throw std::invalid_argument(key + ": " + why);
    config::setField(c, key, value);
  }
  return c;
}

}  // namespace foldbench::sweep
