#pragma once
// Typed JSON for the runs commands (--format json): numbers as numbers, byte sizes as integers,
// tags as arrays, so that scripts need not parse display text.
#include <nlohmann/json.hpp>
#include <string>

#include "foldbench/analysis/run_comparison.h"
#include "foldbench/tracker/records.h"

namespace foldbench::cli {

using Json = nlohmann::ordered_json;

// A field's number, else its text.
Json fieldJson(const tracker::Field& field);
// A parameter as recorded (JSON text: 0.001, true, "ngram"), or the raw text when it is not JSON.
Json parameterJson(const std::string& text);
Json runDetailJson(const tracker::RunDetail& detail, const std::string& status);
Json comparisonJson(const analysis::RunComparison& comparison, bool allParams);

}  // namespace foldbench::cli
