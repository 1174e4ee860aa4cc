#pragma once
// Foldbench's own special tokens. They take ids 0..kSpecialTokenCount-1 in every vocabulary;
// sentencepiece pieces follow. This works the same for a model trained here and for any
// existing .model file, which need not know about [CLS] or entity markers.
#include <string>
#include <vector>

namespace foldbench::text {

enum SpecialToken : int {
  kPad = 0,
  kUnk,
  kCls,
  kSep,
  kMask,
  kSubjectOpen,   // [E1]
  kSubjectClose,  // [/E1]
  kObjectOpen,    // [E2]
  kObjectClose,   // [/E2]
  kFirstTypedMarker,
};

// Entity types with typed markers ([S:PER] ... [/S:PER]); KLUE-RE's six types.
const std::vector<std::string>& typedMarkerEntityTypes();

// Id of the typed open/close marker for an entity type, or -1 when the type has none.
int typedMarkerId(bool subject, bool open, const std::string& entityType);

int specialTokenCount();
// Printable name of a special id ("[CLS]", "[S:PER]", ...).
std::string specialTokenName(int id);

}  // namespace foldbench::text
