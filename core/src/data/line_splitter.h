#pragma once
// Private helpers shared by the delimited-text readers.
#include <optional>
#include <string>
#include <vector>

namespace foldbench::data {

// Splits one line on `delim`. A field that starts with a double quote is read as a quoted
// field ("" is an escaped quote, delimiters inside are kept), which is how the competition
// files store sentences that contain quotes. A stray quote elsewhere is kept as text.
std::vector<std::string> splitTsvLine(const std::string& line, char delim = '\t');

// Removes a trailing '\r' (files written on Windows) and a leading UTF-8 byte-order mark is
// handled by stripBom on the first line.
void stripLineEnd(std::string& line);
void stripBom(std::string& line);

bool endsWith(const std::string& s, const std::string& suffix);

// Whole-string integer parse; nullopt on any stray character or overflow.
std::optional<int> parseInt(const std::string& s);

}  // namespace foldbench::data
