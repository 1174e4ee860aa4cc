#pragma once
// Private: a pretrained Hugging Face encoder (model.pretrained_path) with a classification head,
// fine-tuned as one model. Pooling: [CLS] through the pretrained pooler where there is one, the
// concatenated entity-start states, or the mean over tokens; then dropout and one Linear.
#include "classifier.h"
#include "pretrained_encoder.h"

namespace foldbench::model {

class PretrainedClassifier : public ClassifierModule {
 public:
  // `vocabSize`: the model's vocabulary plus the marker tokens the input format added.
  // `loadWeights`: the folder's weights (training); false leaves them for a checkpoint to fill.
  PretrainedClassifier(const config::ModelConfig& config, int vocabSize, int numLabels, bool loadWeights);
  torch::Tensor forward(const Batch& batch) override;
  double forwardFlops(const Batch& batch) const override;
  std::vector<double> learningRateScales(double layerDecay) override;

 private:
  torch::Tensor pool(const torch::Tensor& states, const torch::Tensor& pooled, const Batch& batch);

  config::ModelConfig config_;
  pretrained::EncoderConfig encoderConfig_;
  std::int64_t padId_ = 0;
  pretrained::PretrainedEncoder encoder_{nullptr};
  torch::nn::Dropout headDropout_{nullptr};
  torch::nn::Linear head_{nullptr};
};

}  // namespace foldbench::model
