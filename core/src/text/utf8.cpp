#include "foldbench/text/utf8.h"

namespace foldbench::text {
namespace {

// Length of the sequence starting with `lead`, or 0 for a byte that cannot start one.
int sequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::size_t findInvalidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const int len = sequenceLength(lead);
    if (len == 0 || i + len > s.size()) return i;
    for (int k = 1; k < len; ++k)
      if (!isContinuation(static_cast<unsigned char>(s[i + k]))) return i;
    if (len >= 3) {
      const auto second = static_cast<unsigned char>(s[i + 1]);
      // Overlong encodings, UTF-16 surrogates and code points above U+10FFFF.
      if (lead == 0xE0 && second < 0xA0) return i;
      if (lead == 0xED && second > 0x9F) return i;
      if (lead == 0xF0 && second < 0x90) return i;
      if (lead == 0xF4 && second > 0x8F) return i;
    }
    i += len;
  }
  return std::string::npos;
}

std::u32string decodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const int len = sequenceLength(lead);
    char32_t cp = len == 1 ? lead : (lead & (0x7F >> len));
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len > 0 ? len : 1;
  }
  return out;
}

std::string encodeUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

std::size_t codePointCount(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if (!isContinuation(static_cast<unsigned char>(c))) ++n;
  return n;
}

std::vector<std::size_t> codePointByteOffsets(std::string_view s) {
  std::vector<std::size_t> offsets;
  offsets.reserve(s.size() + 1);
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!isContinuation(static_cast<unsigned char>(s[i]))) offsets.push_back(i);
  offsets.push_back(s.size());
  return offsets;
}

}  // namespace foldbench::text
