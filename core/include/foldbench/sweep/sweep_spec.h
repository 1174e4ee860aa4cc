#pragma once
// What a sweep searches: the swept fields with their ranges or choices, the sampler, the budget
// and the racing rule. Stored as JSON with the sweep (tracker/sweep_store.h).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "foldbench/config/experiment_config.h"
#include "foldbench/config/field_spec.h"
#include "foldbench/util/enum_names.h"

namespace foldbench::sweep {

enum class DimensionKind { Float, Int, Choice };

// One swept field. Numbers are drawn within [low, high], uniformly or, with `log`, uniformly in
// the logarithm; a choice from `choices`.
struct Dimension {
  std::string key;  // "train.lr"
  DimensionKind kind = DimensionKind::Float;
  double low = 0.0, high = 0.0;
  bool log = false;
  std::vector<std::string> choices;
};

// The field's declared range (log when the declaration steps logarithmically) or choices.
// Throws std::invalid_argument for a field that cannot be swept (text, paths, unbounded numbers).
Dimension dimensionFromField(const config::FieldSpec& field);

// "train.lr" (the declared range), "train.lr=1e-5..1e-2", "train.lr=log:1e-5..1e-2",
// "train.lr=lin:1e-5..1e-2", "input.format=pair,punct" (choices, or a bool field's true,false).
// Throws std::invalid_argument naming the field and what is wrong.
Dimension parseDimension(const std::string& text);

// "log 1e-05..0.01", "2..8", "pair|punct": how status tables and the sweep view show a dimension.
std::string describe(const Dimension& dimension);

enum class SamplerKind { Random, QuasiRandom, Tpe };
// None: every trial trains every fold. TTest: Nadeau and Bengio's corrected resampled t-test;
// Wilcoxon: the exact signed-rank test, both one-sided on the folds both trials trained.
enum class RaceTest { None, TTest, Wilcoxon };

struct RacingRule {
  RaceTest test = RaceTest::TTest;
  double alpha = 0.1;  // prune when the one-sided p-value of "worse than the incumbent" is below it
  int minFolds = 2;    // folds a trial trains before it can be pruned
};

struct SweepSpec {
  std::vector<Dimension> space;
  SamplerKind sampler = SamplerKind::Tpe;
  int startupTrials = 8;  // TPE: quasi-random trials before the model takes over
  std::uint64_t seed = 1;
  int maxTrials = 20;        // 0: no limit (then maxSeconds must be set)
  double maxSeconds = 0.0;   // wall-time budget from the sweep's first start; 0: none
  RacingRule racing;
};

std::string toJson(const SweepSpec& spec);
// Throws std::invalid_argument naming the key that is missing or wrong.
SweepSpec specFromJson(const std::string& json);

// Every problem of sweeping `spec` over `base`, each naming the field: unknown fields, fields
// swept twice, ranges outside the declaration, fields that would change which rows fall in
// which fold (data.*, train.seed, kfold.*) and so break the pairing of folds, a base config
// that does not train k folds, no budget at all.
std::vector<std::string> checkSpec(const SweepSpec& spec, const config::ExperimentConfig& base);

// The swept values of one trial, field key -> formatted value (config::formatValue).
using ParamValues = std::vector<std::pair<std::string, std::string>>;

// `base` with `params` applied (each parsed by its field's type). Throws std::invalid_argument
// naming a value that does not fit its field.
config::ExperimentConfig trialConfig(const config::ExperimentConfig& base, const ParamValues& params);

}  // namespace foldbench::sweep

namespace foldbench {
template <>
struct EnumNames<sweep::SamplerKind> {
  static const std::vector<std::pair<sweep::SamplerKind, const char*>>& all() {
    using S = sweep::SamplerKind;
    static const std::vector<std::pair<S, const char*>> names = {{S::Random, "random"}, {S::QuasiRandom, "quasi"}, {S::Tpe, "tpe"}};
    return names;
  }
};
template <>
struct EnumNames<sweep::RaceTest> {
  static const std::vector<std::pair<sweep::RaceTest, const char*>>& all() {
    using T = sweep::RaceTest;
    static const std::vector<std::pair<T, const char*>> names = {{T::None, "none"}, {T::TTest, "t-test"}, {T::Wilcoxon, "wilcoxon"}};
    return names;
  }
};
template <>
struct EnumNames<sweep::DimensionKind> {
  static const std::vector<std::pair<sweep::DimensionKind, const char*>>& all() {
    using K = sweep::DimensionKind;
    static const std::vector<std::pair<K, const char*>> names = {{K::Float, "float"}, {K::Int, "int"}, {K::Choice, "choice"}};
    return names;
  }
};
}  // namespace foldbench
