#pragma once
#include <ostream>

#include "foldbench/data/example.h"
#include "foldbench/text/tokenizer.h"

namespace foldbench::cli {

// A tokenizer trained on the dataset's sentences, kept in the user's cache directory
// ($XDG_CACHE_HOME/foldbench or ~/.cache/foldbench) keyed by the rows, so it trains once.
text::Tokenizer cachedTokenizerFor(const data::Dataset& dataset, std::ostream& log);

}  // namespace foldbench::cli
