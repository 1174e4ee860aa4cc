#pragma once
// The one declaration of every ExperimentConfig field: key, type, range, choices, step,
// documentation, when it applies, and how to read and write it. JSON, validation, `config
// init --docs` and the GUI form are all generated from it; a field declared here appears in
// each of them without further code.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "foldbench/config/experiment_config.h"

namespace foldbench::config {

enum class FieldType { Bool, Int, Float, Choice, Text, Path };
const char* toString(FieldType type);

using FieldValue = std::variant<bool, std::int64_t, double, std::string>;

// A field applies when the field `key` currently has one of `values` (as formatValue writes
// them: "true", "ngram"); an empty key means always.
struct AppliesWhen {
  std::string key;
  std::vector<std::string> values;
};

struct FieldSpec {
  std::string section;  // "train"
  std::string name;     // "batch_size"
  FieldType type = FieldType::Text;
  double min = 0.0, max = 0.0;  // inclusive range of Int and Float; both 0: unbounded
  double step = 0.0;            // editor step; 0: 1 for Int, a hundredth of the range for Float
  bool logScale = false;        // editor steps multiply (learning rates)
  std::vector<std::string> choices;
  std::string doc;
  std::string fileFilter;  // Path: the file dialog's filter
  bool directory = false;  // Path: a folder, not a file
  bool required = false;   // Text and Path: must not be empty
  std::string whenMissing; // required: what to put there, said when it is empty
  AppliesWhen appliesWhen;
  std::function<FieldValue(const ExperimentConfig&)> get;
  std::function<void(ExperimentConfig&, const FieldValue&)> set;

  std::string key() const { return section + "." + name; }
  bool isNumber() const { return type == FieldType::Int || type == FieldType::Float; }
  bool bounded() const { return min != 0.0 || max != 0.0; }
  // "1..4096", "unigram|bpe", or empty.
  std::string range() const;

  // Declaration helpers, chained: field(...).bounds(1, 64).describe("...").
  FieldSpec& bounds(double lo, double hi) { min = lo; max = hi; return *this; }
  FieldSpec& stepBy(double s) { step = s; return *this; }
  FieldSpec& logarithmic() { logScale = true; return *this; }
  FieldSpec& oneOf(std::vector<std::string> c) { type = FieldType::Choice; choices = std::move(c); return *this; }
  FieldSpec& describe(std::string d) { doc = std::move(d); return *this; }
  FieldSpec& file(std::string filter) { type = FieldType::Path; fileFilter = std::move(filter); return *this; }
  FieldSpec& folder() { type = FieldType::Path; directory = true; return *this; }
  FieldSpec& mandatory(std::string hint = {}) { required = true; whenMissing = std::move(hint); return *this; }
  FieldSpec& when(std::string k, std::vector<std::string> v) { appliesWhen = {std::move(k), std::move(v)}; return *this; }
  // An enum field's values, by their names: when("train.scheduler", {Scheduler::Cosine}).
  template <typename T, typename = std::enable_if_t<std::is_enum_v<T>>>
  FieldSpec& when(std::string k, const std::vector<T>& v) {
    std::vector<std::string> names;
    for (T value : v) names.emplace_back(nameOf(value));
    return when(std::move(k), std::move(names));
  }
  template <typename T, typename = std::enable_if_t<std::is_enum_v<T>>>
  FieldSpec& when(std::string k, std::initializer_list<T> v) { return when(std::move(k), std::vector<T>(v)); }
  // An enum field that takes only some of its enum's values, in this order.
  template <typename T, typename = std::enable_if_t<std::is_enum_v<T>>>
  FieldSpec& among(std::initializer_list<T> values) {
    choices.clear();
    for (T value : values) choices.emplace_back(nameOf(value));
    return *this;
  }
};

// Declares the member `member` of the section `part` of ExperimentConfig.
template <typename S, typename T>
FieldSpec field(const char* section, const char* name, S ExperimentConfig::*part, T S::*member) {
  FieldSpec f;
  f.section = section;
  f.name = name;
  if constexpr (std::is_same_v<T, bool>) {
    f.type = FieldType::Bool;
    f.get = [part, member](const ExperimentConfig& c) { return FieldValue((c.*part).*member); };
    f.set = [part, member](ExperimentConfig& c, const FieldValue& v) { (c.*part).*member = std::get<bool>(v); };
  } else if constexpr (std::is_integral_v<T>) {
    f.type = FieldType::Int;
    f.get = [part, member](const ExperimentConfig& c) { return FieldValue(static_cast<std::int64_t>((c.*part).*member)); };
    f.set = [part, member](ExperimentConfig& c, const FieldValue& v) { (c.*part).*member = static_cast<T>(std::get<std::int64_t>(v)); };
  } else if constexpr (std::is_floating_point_v<T>) {
    f.type = FieldType::Float;
    f.get = [part, member](const ExperimentConfig& c) { return FieldValue(static_cast<double>((c.*part).*member)); };
    f.set = [part, member](ExperimentConfig& c, const FieldValue& v) { (c.*part).*member = static_cast<T>(std::get<double>(v)); };
  } else if constexpr (std::is_enum_v<T>) {
    f.type = FieldType::Choice;
    for (const auto& [value, text] : EnumNames<T>::all()) f.choices.push_back(text);
    f.get = [part, member](const ExperimentConfig& c) { return FieldValue(std::string(nameOf((c.*part).*member))); };
    f.set = [part, member](ExperimentConfig& c, const FieldValue& v) {
      (c.*part).*member = enumFromString<T>(std::get<std::string>(v));
    };
  } else {
    static_assert(std::is_same_v<T, std::string>, "fields are bool, integer, floating point, enum or string");
    f.type = FieldType::Text;
    f.get = [part, member](const ExperimentConfig& c) { return FieldValue((c.*part).*member); };
    f.set = [part, member](ExperimentConfig& c, const FieldValue& v) { (c.*part).*member = std::get<std::string>(v); };
  }
  return f;
}

// The declaration of ExperimentConfig, in form order (sections as they appear).
const std::vector<FieldSpec>& fieldSpecs();
// nullptr when `key` ("train.lr") is not declared.
const FieldSpec* findField(const std::string& key, const std::vector<FieldSpec>& specs = fieldSpecs());

// By key. Both throw std::invalid_argument for an unknown key or a value of the wrong type
// (an Int field takes std::int64_t, a Float field double or std::int64_t).
FieldValue getField(const ExperimentConfig& config, const std::string& key);
void setField(ExperimentConfig& config, const std::string& key, const FieldValue& value);

// Locale-independent text of a value: "true", "32", "5e-05", "cosine".
std::string formatValue(const FieldValue& value);
// Empty when `value` fits the declaration, else why not ("must be within 1..64, got 0"; an empty
// required field: "not set: " and what to put there).
std::string checkValue(const FieldSpec& spec, const FieldValue& value);
// Whether `spec` matters with the rest of `config` (n-gram fields for the n-gram family, ...).
bool fieldApplies(const FieldSpec& spec, const ExperimentConfig& config,
                  const std::vector<FieldSpec>& specs = fieldSpecs());

struct FieldProblem {
  std::string key;  // the field to mark ("model.hidden")
  std::string message;
};
// Every problem of `config`, each attached to the field that should be marked; fields that do
// not apply are not checked.
std::vector<FieldProblem> validateFields(const ExperimentConfig& config,
                                         const std::vector<FieldSpec>& specs = fieldSpecs());

}  // namespace foldbench::config
