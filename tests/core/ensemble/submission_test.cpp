#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "foldbench/ensemble/submission.h"
#include "temp_dir.h"

namespace foldbench::ensemble {
namespace {

const data::LabelMap kLabels = data::LabelMap::fromNames({"관계_없음", "인물:배우자", "단체:모회사"});

Submission sample() {
  Submission s;
  s.ids = {"t-0", "t-1", "t,2"};
  s.predicted = {2, 0, 1};
  s.probabilities = {{0.1f, 0.2f, 0.7f}, {0.8f, 0.1f, 0.1f}, {0.2f, 0.5f, 0.3f}};
  return s;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Submission, PstageFormatIsPredHeaderAndIds) {
  testing::TempDir dir;
  const auto s = sample();
  writeSubmission(dir.file("sub.csv"), SubmissionFormat::Pstage, s, kLabels, s.ids, false);
  EXPECT_EQ(slurp(dir.file("sub.csv")), "pred\n2\n0\n1\n");
  EXPECT_EQ(readSubmission(dir.file("sub.csv"), SubmissionFormat::Pstage, kLabels).predicted, s.predicted);
}

TEST(Submission, KlueAndGenericFormatsRoundTrip) {
  testing::TempDir dir;
  const auto s = sample();
  for (auto format : {SubmissionFormat::Klue, SubmissionFormat::Generic}) {
    const auto path = dir.file(format == SubmissionFormat::Klue ? "klue.csv" : "generic.csv");
    writeSubmission(path, format, s, kLabels, s.ids, false);
    const auto back = readSubmission(path, format, kLabels);
    EXPECT_EQ(back.ids, s.ids);
    EXPECT_EQ(back.predicted, s.predicted);
    if (format == SubmissionFormat::Klue) {
      ASSERT_EQ(back.probabilities.size(), 3u);
      EXPECT_NEAR(back.probabilities[0][2], 0.7f, 1e-6);
    }
  }
  const std::string generic = "id,label\nt-0,단체:모회사\n";
  EXPECT_EQ(slurp(dir.file("generic.csv")).substr(0, generic.size()), generic);
}

TEST(Submission, MismatchedTestFileIsRefusedAndNothingIsWritten) {
  testing::TempDir dir;
  const auto s = sample();
  const auto path = dir.file("sub.csv");
  EXPECT_THROW(writeSubmission(path, SubmissionFormat::Pstage, s, kLabels, {"t-0", "t-1"}, false), std::runtime_error);
  try {
    writeSubmission(path, SubmissionFormat::Pstage, s, kLabels, {"t-0", "t-9", "t,2"}, false);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("row 2 has id 't-1'"), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "no temporary file is left behind";
}

TEST(Submission, UnknownLabelIdIsRefused) {
  testing::TempDir dir;
  auto s = sample();
  s.predicted[1] = 3;
  try {
    writeSubmission(dir.file("sub.csv"), SubmissionFormat::Pstage, s, kLabels, s.ids, false);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("label id 3"), std::string::npos);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  const auto path = dir.write("klue.csv", "id,pred_label,probs\nx,인물:없음,[1]\n");
  EXPECT_THROW(readSubmission(path, SubmissionFormat::Klue, kLabels), std::runtime_error);
}

TEST(Submission, ExistingFileIsKeptUnlessOverwriteIsAsked) {
  testing::TempDir dir;
  const auto s = sample();
  const auto path = dir.write("sub.csv", "my earlier submission\n");
  EXPECT_THROW(writeSubmission(path, SubmissionFormat::Pstage, s, kLabels, s.ids, false), std::runtime_error);
  EXPECT_EQ(slurp(path), "my earlier submission\n");
  writeSubmission(path, SubmissionFormat::Pstage, s, kLabels, s.ids, true);
  EXPECT_EQ(slurp(path), "pred\n2\n0\n1\n");
  writeProbabilities(dir.file("probs.csv"), s, kLabels, false);
  const std::string header = "id,관계_없음,인물:배우자,단체:모회사\n";
  EXPECT_EQ(slurp(dir.file("probs.csv")).substr(0, header.size()), header);
}

}  // namespace
}  // namespace foldbench::ensemble

namespace foldbench::ensemble {
namespace {

TEST(Submission, FormatNamesRoundTrip) {
  for (const auto format : {SubmissionFormat::Pstage, SubmissionFormat::Klue, SubmissionFormat::Generic})
    EXPECT_EQ(parseSubmissionFormat(submissionFormatName(format)), format);
  EXPECT_THROW(parseSubmissionFormat("xlsx"), std::invalid_argument);
}

}  // namespace
}  // namespace foldbench::ensemble
