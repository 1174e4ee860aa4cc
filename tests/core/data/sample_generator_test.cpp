#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "foldbench/data/readers.h"
#include "foldbench/data/sample_generator.h"
#include "temp_dir.h"

namespace foldbench::data {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SampleGenerator, IsDeterministicAndMatchesTheShippedFiles) {
  testing::TempDir dir;
  writeSample(generateSample(), dir.path(), false);
  for (const char* name : {"train.tsv", "test.tsv", "labels.tsv"})
    EXPECT_EQ(slurp(dir.file(name)), slurp(std::string(FOLDBENCH_SOURCE_DIR "/resources/sample/") + name))
        << name << " differs from the generator's output; regenerate with foldbench-cli data sample";
}

TEST(SampleGenerator, RefusesToOverwrite) {
  testing::TempDir dir;
  writeSample(generateSample(), dir.path(), false);
  EXPECT_THROW(writeSample(generateSample(), dir.path(), false), std::runtime_error);
  EXPECT_NO_THROW(writeSample(generateSample(), dir.path(), true));
}

TEST(SampleGenerator, ProducesValidRowsWithARareLabelAndShiftedOffsets) {
  testing::TempDir dir;
  const auto sample = generateSample();
  writeSample(sample, dir.path(), false);
  LabelMap labels = LabelMap::readFile(dir.file("labels.tsv"));
  LoadReport report;
  const auto train = loadDataset(dir.file("train.tsv"), DatasetFormat::Auto, labels, {}, report);
  EXPECT_EQ(train.rows.size(), 480u);
  EXPECT_EQ(report.repairs.size(), 3u) << "the three shifted rows are repaired";
  EXPECT_EQ(report.problemCount, 0u);
  std::vector<int> perLabel(static_cast<std::size_t>(labels.size()), 0);
  for (const auto& r : train.rows) ++perLabel[static_cast<std::size_t>(r.labelId)];
  EXPECT_EQ(*std::min_element(perLabel.begin(), perLabel.end()), 3) << "one label is rarer than 5 folds";
  EXPECT_EQ(labels.nameOf(0), "관계_없음");

  ReadOptions testOptions;
  testOptions.allowBlind = true;
  LoadReport testReport;
  const auto test = loadDataset(dir.file("test.tsv"), DatasetFormat::Auto, labels, testOptions, testReport);
  EXPECT_EQ(test.rows.size(), 120u);
  EXPECT_EQ(testReport.repairs.size(), 0u);
}

}  // namespace
}  // namespace foldbench::data
