#include "foldbench/tracker/field_names.h"

#include <regex>

namespace foldbench::tracker::names {

std::string fold(int f, const std::string& leaf) { return "fold/" + std::to_string(f) + "/" + leaf; }
std::string cv(const std::string& leaf) { return "cv/" + leaf; }

std::optional<std::string> fromSeedField(const std::string& seedName) {
  static const std::regex perFold(R"((\d+)-th (train_acc_score|val_acc_score|model_saved_dir))");
  static const std::regex perRun(R"((\d+)-fold val (acc list|average acc))");
  std::smatch m;
  if (std::regex_match(seedName, m, perFold)) {
    const int f = std::stoi(m[1]);
    if (m[2] == "train_acc_score") return fold(f, "train/acc");
    if (m[2] == "val_acc_score") return fold(f, "val/acc");
    return fold(f, "checkpoint");
  }
  if (std::regex_match(seedName, m, perRun)) return cv(m[2] == "acc list" ? "val/acc/list" : "val/acc/mean");
  return std::nullopt;
}

}  // namespace foldbench::tracker::names
