#pragma once
// The entity-aware input formats, with the names input.format and --input-format spell them.
#include "foldbench/util/enum_names.h"

namespace foldbench::text {

enum class InputFormat {
  EntityPair,     // [CLS] subject [SEP] object [SEP] sentence [SEP] (the seed's format)
  EntityMarkers,  // [CLS] ... [E1] subject [/E1] ... [E2] object [/E2] ... [SEP]
  TypedMarkers,   // [S:PER] subject [/S:PER] ... [O:ORG] object [/O:ORG]; untyped markers without types
  PunctMarkers,   // @ *PER* subject @ ... # ^ORG^ object #  (plain punctuation, no new tokens)
};

}  // namespace foldbench::text

namespace foldbench {
FOLDBENCH_ENUM_NAMES(text::InputFormat, {text::InputFormat::EntityPair, "pair"},
                     {text::InputFormat::EntityMarkers, "markers"}, {text::InputFormat::TypedMarkers, "typed"},
                     {text::InputFormat::PunctMarkers, "punct"})
}  // namespace foldbench
