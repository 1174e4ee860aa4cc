#include "ngram_bag_classifier.h"

#include "pretrained_classifier.h"
#include "transformer_classifier.h"

namespace foldbench::model {

NgramBagClassifier::NgramBagClassifier(const config::ModelConfig& c, int numLabels, bool drawTables)
    : config_(c), numLabels_(numLabels) {
  const std::int64_t rows = (std::int64_t{1} << c.ngramBucketsLog2) + 1;
  const int parts = ngramPartCount(c.ngramContext);
  for (int p = 0; p < parts; ++p) {
    auto options = torch::nn::EmbeddingBagOptions(rows, c.ngramDim).mode(torch::kMean).sparse(true);
    // A given weight skips torch's own N(0, 1) draw: a loaded model overwrites it anyway, and
    // drawing four 2^18-row tables took longer than reading a compact checkpoint.
    if (!drawTables) options._weight(torch::empty({rows, c.ngramDim}));
    bags_.push_back(register_module("bag" + std::to_string(p), torch::nn::EmbeddingBag(options)));
  }
  dropout_ = register_module("dropout", torch::nn::Dropout(c.headDropout));
  hidden_ = register_module("hidden", torch::nn::Linear(parts * c.ngramDim, c.mlpHidden));
  out_ = register_module("out", torch::nn::Linear(c.mlpHidden, numLabels));
}

torch::Tensor NgramBagClassifier::forward(const Batch& b) {
  std::vector<torch::Tensor> parts;
  for (std::size_t p = 0; p < bags_.size(); ++p) parts.push_back(bags_[p]->forward(b.bagIds[p], b.bagOffsets[p]));
  auto h = dropout_->forward(torch::cat(parts, 1));
  h = dropout_->forward(torch::relu(hidden_->forward(h)));
  return out_->forward(h);
}

std::vector<torch::Tensor> NgramBagClassifier::sparseParameters() {
  std::vector<torch::Tensor> tables;
  for (auto& bag : bags_) tables.push_back(bag->weight);
  return tables;
}

double NgramBagClassifier::forwardFlops(const Batch& b) const {
  const double batch = static_cast<double>(b.labels.size(0));
  return 2.0 * batch * (ngramPartCount(config_.ngramContext) * config_.ngramDim * config_.mlpHidden + config_.mlpHidden * numLabels_);
}

std::shared_ptr<ClassifierModule> makeClassifier(const config::ModelConfig& c, int vocabSize, int numLabels,
                                                 int maxLen, bool initialise) {
  std::shared_ptr<ClassifierModule> model;
  if (c.family == config::ModelFamily::Ngram) {
    // The MLP keeps torch's fan-in scaled default initialisation (seeded by the caller): the
    // transformer's N(0, 0.02) starves a small MLP over averaged bags of gradient.
    model = std::make_shared<NgramBagClassifier>(c, numLabels, initialise);
    if (initialise) {
      std::vector<TableOrigin> origins;
      for (auto& table : model->sparseParameters()) origins.push_back(fillRandomNormal(table, 0.1));
      model->setTableOrigins(std::move(origins));
    }
  } else if (c.family == config::ModelFamily::Pretrained) {
    // Its initialisation is the folder's weights (and a seeded head and marker rows).
    model = std::make_shared<PretrainedClassifier>(c, vocabSize, numLabels, initialise);
  } else {
    model = std::make_shared<TransformerClassifier>(c, vocabSize, numLabels, maxLen);
    if (initialise) initialiseWeights(*model, 0.02);
  }
  return model;
}

}  // namespace foldbench::model
