#pragma once
// The closed sets of ExperimentConfig that belong to no lower library, each with its names in one
// EnumNames table: the JSON spelling, the form's choice and the docs' range all come from it.
// The sets a lower library owns keep their enum there (data::DatasetFormat, data::BadRowPolicy,
// data::RareLabelPolicy, text::InputFormat); their tables sit beside them.
#include <utility>
#include <vector>

#include "foldbench/util/enum_names.h"

namespace foldbench::config {

enum class ModelFamily { Transformer, Ngram, Pretrained };
enum class LossKind { CrossEntropy, Focal, WeightedCrossEntropy };
enum class TokenizerType { Unigram, Bpe };  // sentencepiece's model types
enum class Pooling { Entity, Cls, Mean };
// Weights, tables or autocast; each field lists the ones it accepts, in its own order.
enum class Precision { Fp32, Fp16, Bf16 };
enum class Scheduler { Constant, Linear, Cosine, CosineRestarts, Step };
enum class BestMetric { Accuracy, MicroF1, Loss };
enum class Padding {
  Bucketed,  // shuffle, sort chunks of 50 batches by length, cut, shuffle the batches
  Fixed,     // shuffle and cut; every batch is padded to max_len (the seed's way)
};
enum class Device { Auto, Cpu, Cuda };
enum class BlasKernels { Auto, OpenBlas };

}  // namespace foldbench::config

namespace foldbench {

FOLDBENCH_ENUM_NAMES(config::ModelFamily, {config::ModelFamily::Transformer, "transformer"},
                     {config::ModelFamily::Ngram, "ngram"}, {config::ModelFamily::Pretrained, "pretrained"})
FOLDBENCH_ENUM_NAMES(config::LossKind, {config::LossKind::CrossEntropy, "ce"}, {config::LossKind::Focal, "focal"},
                     {config::LossKind::WeightedCrossEntropy, "weighted_ce"})
FOLDBENCH_ENUM_NAMES(config::TokenizerType, {config::TokenizerType::Unigram, "unigram"},
                     {config::TokenizerType::Bpe, "bpe"})
FOLDBENCH_ENUM_NAMES(config::Pooling, {config::Pooling::Entity, "entity"}, {config::Pooling::Cls, "cls"},
                     {config::Pooling::Mean, "mean"})
FOLDBENCH_ENUM_NAMES(config::Precision, {config::Precision::Fp32, "fp32"}, {config::Precision::Fp16, "fp16"},
                     {config::Precision::Bf16, "bf16"})
FOLDBENCH_ENUM_NAMES(config::Scheduler, {config::Scheduler::Constant, "constant"},
                     {config::Scheduler::Linear, "linear"}, {config::Scheduler::Cosine, "cosine"},
                     {config::Scheduler::CosineRestarts, "cosine_restarts"}, {config::Scheduler::Step, "step"})
FOLDBENCH_ENUM_NAMES(config::BestMetric, {config::BestMetric::Accuracy, "accuracy"},
                     {config::BestMetric::MicroF1, "micro_f1"}, {config::BestMetric::Loss, "loss"})
FOLDBENCH_ENUM_NAMES(config::Padding, {config::Padding::Bucketed, "bucketed"}, {config::Padding::Fixed, "fixed"})
FOLDBENCH_ENUM_NAMES(config::Device, {config::Device::Auto, "auto"}, {config::Device::Cpu, "cpu"},
                     {config::Device::Cuda, "cuda"})
FOLDBENCH_ENUM_NAMES(config::BlasKernels, {config::BlasKernels::Auto, "auto"},
                     {config::BlasKernels::OpenBlas, "openblas"})

}  // namespace foldbench
