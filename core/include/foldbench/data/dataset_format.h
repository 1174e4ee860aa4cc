#pragma once
// The formats the readers know, with the names data.format and --data-format spell them.
#include "foldbench/util/enum_names.h"

namespace foldbench::data {

enum class DatasetFormat {
  Auto,            // by extension: .json/.jsonl -> KlueJson, .csv -> TextCsv, else CompetitionTsv
  CompetitionTsv,  // no header: id, sentence, subject, s_start, s_end, object, o_start, o_end, label
  KlueJson,        // KLUE-RE JSON array or JSON Lines (guid, sentence, subject_entity, ...)
  TextCsv,         // header row, plain text classification, columns chosen by ColumnMapping
};

}  // namespace foldbench::data

namespace foldbench {
FOLDBENCH_ENUM_NAMES(data::DatasetFormat, {data::DatasetFormat::Auto, "auto"},
                     {data::DatasetFormat::CompetitionTsv, "tsv"}, {data::DatasetFormat::KlueJson, "json"},
                     {data::DatasetFormat::TextCsv, "csv"})
}  // namespace foldbench
