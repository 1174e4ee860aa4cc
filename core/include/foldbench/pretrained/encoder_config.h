#pragma once
// config.json of a Hugging Face encoder (bert, roberta, xlm-roberta, electra), and the strict map
// from the tensor names a checkpoint stores to the names the architecture needs. Plain C++.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace foldbench::pretrained {

enum class ModelType { Bert, Roberta, XlmRoberta, Electra };
enum class Activation { Gelu, GeluNew };  // exact erf form; tanh approximation

const char* modelTypeName(ModelType type);   // as config.json spells it
const char* basePrefix(ModelType type);      // "bert.", "roberta." (also XLM-R), "electra."

struct EncoderConfig {
  ModelType modelType = ModelType::Bert;
  std::int64_t vocabSize = 0;
  std::int64_t hiddenSize = 0;
  std::int64_t numHiddenLayers = 0;
  std::int64_t numAttentionHeads = 0;
  std::int64_t intermediateSize = 0;
  Activation hiddenAct = Activation::Gelu;
  double layerNormEps = 1e-12;
  std::int64_t maxPositionEmbeddings = 0;
  std::int64_t typeVocabSize = 0;
  std::optional<std::int64_t> padTokenId;
  double hiddenDropout = 0.1;     // hidden_dropout_prob, when fine-tuning
  double attentionDropout = 0.1;  // attention_probs_dropout_prob
  // ELECTRA's embedding width; equal to hiddenSize for the others.
  std::int64_t embeddingSize = 0;
  // Fields absent from the file that took the Hugging Face class default.
  std::vector<std::string> defaulted;
};

// A missing field takes the default of the model type's Hugging Face config class, as
// from_pretrained does. Refused, naming the file and field: another model_type, a wrong JSON type,
// a non-positive size, hidden_size not a multiple of num_attention_heads, another hidden_act, a
// position_embedding_type other than "absolute", a pad_token_id outside the vocabulary (RoBERTa
// and XLM-R need one, and room for positions pad+1 .. max_position_embeddings-1).
EncoderConfig parseEncoderConfig(const std::string& jsonText, const std::string& label);
EncoderConfig readEncoderConfig(const std::string& path);

struct TensorNameMap {
  // Canonical name (no base prefix, LayerNorm.weight/bias) -> the name stored in the file.
  std::map<std::string, std::string> canonicalToStored;
  // Stored names of known pre-training or task heads and buffers, which are not loaded.
  std::vector<std::string> ignored;
  bool hasPooler = false;
  bool prefixed = false;  // the encoder's names carried the base prefix
};

// The names every checkpoint of this configuration must hold, canonical form.
std::vector<std::string> requiredTensorNames(const EncoderConfig& config);

// Maps stored names to canonical ones: with or without the base prefix (but all the same way),
// legacy LayerNorm.gamma/beta for weight/bias, an optional pooler (both tensors or none; ELECTRA
// has none), known heads ignored. Any missing required tensor, any other name, or two stored names
// for one tensor is a PretrainedError naming the key and `file`.
TensorNameMap checkTensorNames(const EncoderConfig& config, const std::vector<std::string>& storedNames,
                               const std::string& file);

}  // namespace foldbench::pretrained
