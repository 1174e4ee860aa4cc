#pragma once
// UTF-8 helpers. Entity offsets in relation-extraction data are code-point offsets, so every
// slice of a sentence goes through these functions rather than byte arithmetic.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace foldbench::text {

// Byte offset of the first invalid sequence, or std::string::npos when `s` is valid UTF-8.
std::size_t findInvalidUtf8(std::string_view s);

// Decodes valid UTF-8 into code points. Precondition: findInvalidUtf8(s) == npos.
std::u32string decodeUtf8(std::string_view s);
std::string encodeUtf8(std::u32string_view s);

// Number of code points in valid UTF-8.
std::size_t codePointCount(std::string_view s);

// Byte offset of every code point plus one past the end (size codePointCount + 1).
std::vector<std::size_t> codePointByteOffsets(std::string_view s);

}  // namespace foldbench::text
