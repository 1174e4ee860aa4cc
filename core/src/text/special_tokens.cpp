#include "foldbench/text/special_tokens.h"

#include <stdexcept>

namespace foldbench::text {

const std::vector<std::string>& typedMarkerEntityTypes() {
  static const std::vector<std::string> types = {"PER", "ORG", "LOC", "DAT", "POH", "NOH"};
  return types;
}

int typedMarkerId(bool subject, bool open, const std::string& entityType) {
  const auto& types = typedMarkerEntityTypes();
  for (std::size_t t = 0; t < types.size(); ++t)
    if (types[t] == entityType)
      return kFirstTypedMarker + static_cast<int>(t) * 4 + (subject ? 0 : 2) + (open ? 0 : 1);
  return -1;
}

int specialTokenCount() { return kFirstTypedMarker + static_cast<int>(typedMarkerEntityTypes().size()) * 4; }

std::string specialTokenName(int id) {
  static const char* fixed[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[E1]", "[/E1]", "[E2]", "[/E2]"};
  if (id >= 0 && id < kFirstTypedMarker) return fixed[id];
  if (id < kFirstTypedMarker || id >= specialTokenCount()) throw std::out_of_range("not a special token id");
  const int k = id - kFirstTypedMarker;
  const std::string& type = typedMarkerEntityTypes()[static_cast<std::size_t>(k / 4)];
  const bool subject = (k % 4) < 2, open = (k % 2) == 0;
  return std::string(open ? "[" : "[/") + (subject ? "S:" : "O:") + type + "]";
}

}  // namespace foldbench::text
