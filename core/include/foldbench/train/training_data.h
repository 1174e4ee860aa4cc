#pragma once
// Model inputs for every row of a dataset, prepared once per run.
#include <string>
#include <vector>

#include "foldbench/model/ngram_features.h"
#include "foldbench/text/input_encoder.h"

namespace foldbench::train {

struct TrainingData {
  std::vector<int> labels;  // label id per row; -1 for unlabelled rows
  int numLabels = 0;
  int noRelationId = -1;    // left out of micro-F1; -1: none
  int vocabSize = 0;        // transformer inputs
  int maxLen = 128;
  std::vector<text::EncodedExample> encoded;   // filled for the transformer family
  std::vector<model::NgramFeatures> ngrams;    // filled for the n-gram family

  std::size_t size() const { return labels.size(); }
  // Length used for bucketing: tokens, or the sentence's n-gram count.
  std::vector<int> lengths() const;
};

}  // namespace foldbench::train
