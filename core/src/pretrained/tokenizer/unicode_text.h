#pragma once
// Unicode for the pretrained tokenizers, on ICU: code points, categories, normalisation forms and the
// per-character full lower-case mapping both Hugging Face paths apply.
#include <string>
#include <string_view>

namespace foldbench::pretrained::unicode {

// Code points of UTF-8 text; each invalid byte becomes U+FFFD.
std::u32string decode(std::string_view utf8);
std::string encode(std::u32string_view text);
std::string encode(char32_t c);

// General categories, as Python's unicodedata and Rust's unicode tables name them.
bool isControlCategory(char32_t c);      // C*: Cc Cf Cs Co Cn
bool isPunctuationCategory(char32_t c);  // P*
bool isSpaceSeparator(char32_t c);       // Zs
bool isNonspacingMark(char32_t c);       // Mn
bool isMark(char32_t c);                 // M*: Mn Mc Me
// The White_Space property (Rust's char::is_whitespace, regex \s).
bool isWhiteSpace(char32_t c);
// Python's str.isspace(): White_Space plus U+001C..U+001F.
bool isPythonSpace(char32_t c);
// Rust regex's \w: Alphabetic, marks, Nd, Pc, Join_Control.
bool isWordCharacter(char32_t c);

// BERT's rules.
bool isBertControl(char32_t c);      // C* except \t \n \r
bool isBertWhitespace(char32_t c);   // space, \t, \n, \r, Zs
bool isBertPunctuation(char32_t c);  // ASCII 33-47, 58-64, 91-96, 123-126, and P*
bool isCjkIdeograph(char32_t c);     // the CJK Unified Ideograph blocks BERT spaces out

enum class Form { NFC, NFD, NFKC, NFKD };
std::u32string normalize(std::u32string_view text, Form form);
// Each character's full lower-case mapping (İ -> i̇), without context (Σ -> σ everywhere): what
// Python's per-character str.lower() and Rust's char::to_lowercase give.
std::u32string lowerEach(std::u32string_view text);
// NFD, then every Mn dropped (BERT's accent stripping).
std::u32string stripNonspacingMarks(std::u32string_view text);

}  // namespace foldbench::pretrained::unicode
