// The tracker's filter language: parsed into SQL with bound values, never pasted.
#include <string>

#include "foldbench/tracker/filter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto sql = foldbench::tracker::parseFilter(text);
    // User text may only reach SQL as parameters: no quote character of the input survives.
    if (sql.where.find('\'') != std::string::npos || sql.where.find(';') != std::string::npos) __builtin_trap();
  } catch (const foldbench::tracker::FilterError& e) {
    if (e.position() > size) __builtin_trap();  // the position points into the text
  }
  return 0;
}
