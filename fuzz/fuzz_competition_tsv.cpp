// The competition TSV reader, under both bad-row policies, with and without a label map.
#include "foldbench/data/readers.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foldbench::data;
  const auto path = foldbench::fuzz::writeInput(data, size, ".tsv");
  static const LabelMap known = LabelMap::fromNames({"관계_없음", "인물:배우자", "단체:창립자"});
  for (const auto policy : {BadRowPolicy::Stop, BadRowPolicy::Skip})
    for (const LabelMap* labels : {static_cast<const LabelMap*>(nullptr), &known}) {
      ReadOptions options;
      options.policy = policy;
      options.allowBlind = true;
      LoadReport report;
      try {
        readCompetitionTsv(path, labels, options, report);
      } catch (const std::exception&) {
      }
    }
  return 0;
}
