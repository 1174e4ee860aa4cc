#pragma once
// Namespaced field and metric names (Neptune style) and the mapping from the seed's tracker.
#include <optional>
#include <string>

namespace foldbench::tracker::names {

std::string fold(int fold, const std::string& leaf);  // fold(0, "val/acc") -> "fold/0/val/acc"
std::string cv(const std::string& leaf);              // cv("val/acc/mean") -> "cv/val/acc/mean"

// The seed's Neptune fields: "0-th val_acc_score" -> "fold/0/val/acc",
// "0-th train_acc_score" -> "fold/0/train/acc", "0-th model_saved_dir" -> "fold/0/checkpoint",
// "5-fold val acc list" -> "cv/val/acc/list", "5-fold val average acc" -> "cv/val/acc/mean".
std::optional<std::string> fromSeedField(const std::string& seedName);

}  // namespace foldbench::tracker::names
