#include <gtest/gtest.h>

#include "foldbench/data/readers.h"
#include "temp_dir.h"

namespace foldbench::data {
namespace {

using testing::TempDir;

// 서울에 사는 김민수는 한빛전자에 다닌다.  (code points: 서0 울1 에2 ' '3 사4 는5 ' '6 김7 민8 수9 ...)
const std::string kSentence = "서울에 사는 김민수는 한빛전자에 다닌다.";
std::string row(const std::string& id, const std::string& sStart, const std::string& sEnd,
                const std::string& label = "인물:소속단체", const std::string& oStart = "12",
                const std::string& oEnd = "15") {
  return id + "\t" + kSentence + "\t김민수\t" + sStart + "\t" + sEnd + "\t한빛전자\t" + oStart + "\t" + oEnd + "\t" +
         label + "\n";
}

LabelMap labels() { return LabelMap::fromNames({"관계_없음", "인물:소속단체"}); }

Dataset readTsv(const std::string& path, LoadReport& report, ReadOptions options = {}) {
  const LabelMap map = labels();
  return readCompetitionTsv(path, &map, options, report);
}

std::vector<Problem> problemsOf(const std::string& path, ReadOptions options = {}) {
  LoadReport report;
  try {
    readTsv(path, report, options);
  } catch (const DataError& e) {
    return e.problems();
  }
  return {};
}

TEST(CompetitionTsv, ReadsRowsWithCodePointOffsets) {
  TempDir dir;
  LoadReport report;
  const auto data = readTsv(dir.write("t.tsv", row("a", "7", "9") + row("b", "7", "9", "관계_없음")), report);
  ASSERT_EQ(data.rows.size(), 2u);
  EXPECT_EQ(data.rows[0].subject.text, "김민수");
  EXPECT_EQ(data.rows[0].subject.start, 7);
  EXPECT_EQ(data.rows[0].object.end, 15);
  EXPECT_EQ(data.rows[1].label, "관계_없음");
  EXPECT_EQ(data.rows[1].sourceLine, 2);
  EXPECT_TRUE(report.repairs.empty());
  EXPECT_EQ(report.problemCount, 0u);
}

TEST(CompetitionTsv, UnquotesQuotedFieldsLikeTheCompetitionFiles) {
  TempDir dir;
  // The sentence is stored quoted with "" escapes; offsets refer to the unquoted text.
  const std::string line = "q\t\"그는 \"\"별\"\"이라 불린 김민수이다.\"\t\"\"\"별\"\"\"\t3\t5\t김민수\t12\t14\t관계_없음\n";
  LoadReport report;
  const auto data = readTsv(dir.write("q.tsv", line), report);
  ASSERT_EQ(data.rows.size(), 1u);
  EXPECT_EQ(data.rows[0].sentence, "그는 \"별\"이라 불린 김민수이다.");
  EXPECT_EQ(data.rows[0].subject.text, "\"별\"");
  EXPECT_TRUE(report.repairs.empty());
}

TEST(CompetitionTsv, WrongColumnCountNamesTheLine) {
  TempDir dir;
  const auto problems = problemsOf(dir.write("t.tsv", row("a", "7", "9") + "b\tonly two\n"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_NE(problems[0].message.find("expected 9"), std::string::npos);
  EXPECT_NE(problems[0].toString().find("t.tsv:2"), std::string::npos);
}

TEST(CompetitionTsv, BadIntegerNamesTheField) {
  TempDir dir;
  const auto problems = problemsOf(dir.write("t.tsv", row("a", "7", "nine")));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "subject_end");
  EXPECT_EQ(problems[0].line, 1);
}

TEST(CompetitionTsv, OffsetsOutsideTheSentenceAreRejected) {
  TempDir dir;
  const auto problems = problemsOf(dir.write("t.tsv", row("a", "70", "72")));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "subject_start");
  EXPECT_NE(problems[0].message.find("outside the sentence"), std::string::npos);
}

TEST(CompetitionTsv, InvalidUtf8IsReported) {
  TempDir dir;
  const auto problems = problemsOf(dir.write("t.tsv", "a\tbad \xC3\x28 text\tx\t0\t0\ty\t1\t1\t관계_없음\n"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "sentence");
  EXPECT_NE(problems[0].message.find("UTF-8"), std::string::npos);
}

TEST(CompetitionTsv, UnknownLabelAndDuplicateIdAreReported) {
  TempDir dir;
  const auto problems = problemsOf(dir.write("t.tsv", row("a", "7", "9", "인물:없는관계") + row("b", "7", "9") +
                                                          row("b", "7", "9")));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "label");
  EXPECT_EQ(problems[0].line, 1);
  EXPECT_EQ(problems[1].field, "id");
  EXPECT_NE(problems[1].message.find("first on line 2"), std::string::npos);
}

TEST(CompetitionTsv, EmptyFileIsAnError) {
  TempDir dir;
  const auto problems = problemsOf(dir.write("t.tsv", "\n\n"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("empty"), std::string::npos);
}

TEST(CompetitionTsv, MissingFileIsAnError) {
  LoadReport report;
  EXPECT_THROW(readTsv("/nonexistent/t.tsv", report), DataError);
}

TEST(CompetitionTsv, BlindLabelOnlyWhereAllowed) {
  TempDir dir;
  const auto path = dir.write("t.tsv", row("a", "7", "9", "blind"));
  EXPECT_EQ(problemsOf(path).size(), 1u);
  ReadOptions options;
  options.allowBlind = true;
  LoadReport report;
  EXPECT_EQ(readTsv(path, report, options).rows.size(), 1u);
}

TEST(CompetitionTsv, SkipPolicyDropsAndListsBadRows) {
  TempDir dir;
  ReadOptions options;
  options.policy = BadRowPolicy::Skip;
  LoadReport report;
  const auto data = readTsv(dir.write("t.tsv", row("a", "7", "9") + row("b", "x", "9") + row("c", "7", "9") +
                                                   "d\tshort\n"),
                            report, options);
  ASSERT_EQ(data.rows.size(), 2u);
  EXPECT_EQ(data.rows[1].id, "c");
  EXPECT_EQ(report.skippedLines, (std::vector<int>{2, 4}));
  EXPECT_EQ(report.problemCount, 2u);
}

TEST(CompetitionTsv, StopPolicyCapsTheListButCountsEverything) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 10; ++i) content += row("r" + std::to_string(i), "x", "9");
  ReadOptions options;
  options.maxProblems = 3;
  LoadReport report;
  try {
    readTsv(dir.write("t.tsv", content), report, options);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(e.problems().size(), 3u);
    EXPECT_EQ(report.problemCount, 10u);
    EXPECT_NE(std::string(e.what()).find("10 problem(s), first 3 listed"), std::string::npos);
  }
}

TEST(OffsetRepair, ShiftedOffsetsMoveToTheEntityText) {
  TempDir dir;
  LoadReport report;
  // Subject given one character early, object two characters late.
  const auto data = readTsv(dir.write("t.tsv", row("a", "6", "8", "인물:소속단체", "14", "17")), report);
  ASSERT_EQ(data.rows.size(), 1u);
  EXPECT_EQ(data.rows[0].subject.start, 7);
  EXPECT_EQ(data.rows[0].subject.end, 9);
  EXPECT_EQ(data.rows[0].object.start, 12);
  EXPECT_EQ(data.rows[0].object.end, 15);
  ASSERT_EQ(report.repairs.size(), 2u);
  EXPECT_EQ(report.repairs[0].shift(), 1);
  EXPECT_EQ(report.repairs[1].shift(), -2);
  EXPECT_EQ(report.repairs[1].field, "object");
}

TEST(OffsetRepair, OffsetsPastTheEndAreRepairedWhenTheTextIsNear) {
  TempDir dir;
  LoadReport report;
  // "다닌다." ends at code point 22; the object is given as 21..24, past the end.
  const std::string line = "a\t" + kSentence + "\t김민수\t7\t9\t다닌다\t21\t23\t관계_없음\n";
  const auto data = readTsv(dir.write("t.tsv", line), report);
  ASSERT_EQ(data.rows.size(), 1u);
  EXPECT_EQ(data.rows[0].object.start, 18);
  EXPECT_EQ(report.repairs.size(), 1u);
}

TEST(OffsetRepair, TextNotNearTheOffsetIsRejected) {
  TempDir dir;
  ReadOptions options;
  options.repairWindow = 2;
  const auto problems = problemsOf(dir.write("t.tsv", row("a", "1", "3")), options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "subject_start");
  EXPECT_NE(problems[0].message.find("not found within 2"), std::string::npos);
}

TEST(OffsetRepair, CanBeTurnedOff) {
  TempDir dir;
  ReadOptions options;
  options.repairOffsets = false;
  EXPECT_EQ(problemsOf(dir.write("t.tsv", row("a", "6", "8")), options).size(), 1u);
}

TEST(OffsetRepair, OverlappingSpansAreKeptAndReported) {
  TempDir dir;
  LoadReport report;
  // Subject 한빛전자 (12..15), object 전자 (14..15) inside it.
  const std::string line = "a\t" + kSentence + "\t한빛전자\t12\t15\t전자\t14\t15\t관계_없음\n";
  const auto data = readTsv(dir.write("t.tsv", line), report);
  EXPECT_EQ(data.rows.size(), 1u);
  EXPECT_EQ(report.overlappingLines, std::vector<int>{1});
}

TEST(KlueJson, ReadsJsonLinesWithEntityTypes) {
  TempDir dir;
  const std::string record =
      R"({"guid":"k1","sentence":"김민수는 한빛전자에 다닌다.","subject_entity":{"word":"김민수","start_idx":0,"end_idx":2,"type":"PER"},"object_entity":{"word":"한빛전자","start_idx":5,"end_idx":8,"type":"ORG"},"label":"인물:소속단체"})";
  std::string second = record;
  second.replace(second.find("k1"), 2, "k2");
  LoadReport report;
  const LabelMap map = labels();
  const auto data = readKlueJson(dir.write("k.jsonl", record + "\n\n" + second + "\n"), &map, {}, report);
  ASSERT_EQ(data.rows.size(), 2u);
  EXPECT_EQ(data.rows[1].id, "k2");
  EXPECT_EQ(data.rows[1].sourceLine, 3);
  EXPECT_EQ(data.rows[0].subject.type, "PER");
  EXPECT_EQ(data.rows[0].object.start, 5);

  // A repeated guid is a problem, not a silent duplicate.
  LoadReport again;
  EXPECT_THROW(readKlueJson(dir.write("d.jsonl", record + "\n" + record + "\n"), &map, {}, again), DataError);
  EXPECT_EQ(again.problems.at(0).field, "id");
}

TEST(KlueJson, ReadsArraysAndIntegerLabels) {
  TempDir dir;
  const std::string json =
      R"([{"guid":1,"sentence":"김민수는 한빛전자에 다닌다.","subject_entity":{"word":"김민수","start_idx":0,"end_idx":2,"type":"PER"},"object_entity":{"word":"한빛전자","start_idx":5,"end_idx":8,"type":"ORG"},"label":1}])";
  LoadReport report;
  const LabelMap map = labels();
  const auto data = readKlueJson(dir.write("k.json", json), &map, {}, report);
  ASSERT_EQ(data.rows.size(), 1u);
  EXPECT_EQ(data.rows[0].id, "1");
  EXPECT_EQ(data.rows[0].label, "인물:소속단체");
  EXPECT_EQ(data.rows[0].subject.type, "PER");
  EXPECT_EQ(data.rows[0].object.type, "ORG");
}

TEST(KlueJson, MissingFieldsAndBrokenLinesAreNamed) {
  TempDir dir;
  const std::string content =
      R"({"guid":"k1","sentence":"김민수는 한빛전자에 다닌다.","subject_entity":{"word":"김민수","end_idx":2},"object_entity":{"word":"한빛전자","start_idx":5,"end_idx":8},"label":"관계_없음"})"
      "\n{broken\n";
  ReadOptions options;
  options.policy = BadRowPolicy::Skip;
  LoadReport report;
  const LabelMap map = labels();
  EXPECT_THROW(readKlueJson(dir.write("k.jsonl", content), &map, options, report), DataError)
      << "no usable row left";
  ASSERT_EQ(report.problems.size(), 3u);
  EXPECT_EQ(report.problems[0].field, "subject_entity.start_idx");
  EXPECT_NE(report.problems[2].message.find("no usable row"), std::string::npos);
  EXPECT_EQ(report.problems[1].line, 2);
}

TEST(TextCsv, MapsColumnsByHeader) {
  TempDir dir;
  LoadReport report;
  ColumnMapping columns;
  columns.text = "review";
  columns.label = "sentiment";
  columns.id = "no";
  const auto data =
      readTextCsv(dir.write("r.csv", "no,review,sentiment\n7,\"좋아요, 정말\",pos\n8,별로예요,neg\n"), columns, nullptr, {},
                  report);
  ASSERT_EQ(data.rows.size(), 2u);
  EXPECT_EQ(data.rows[0].sentence, "좋아요, 정말");
  EXPECT_EQ(data.rows[0].id, "7");
  EXPECT_FALSE(data.rows[0].hasEntities());
}

TEST(TextCsv, MissingColumnAndRaggedRowsAreErrors) {
  TempDir dir;
  LoadReport report;
  ColumnMapping columns;
  columns.text = "body";
  EXPECT_THROW(readTextCsv(dir.write("a.csv", "text,label\nx,y\n"), columns, nullptr, {}, report), DataError);
  LoadReport report2;
  try {
    readTextCsv(dir.write("b.csv", "sentence,label\nx,y,z\n"), ColumnMapping(), nullptr, {}, report2);
    FAIL();
  } catch (const DataError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].line, 2);
  }
}

TEST(LoadDataset, DerivesLabelsAndIdsWhenNoMapIsGiven) {
  TempDir dir;
  LabelMap map;
  LoadReport report;
  const auto data = loadDataset(dir.write("t.tsv", row("a", "7", "9", "zeta") + row("b", "7", "9", "alpha")),
                                DatasetFormat::Auto, map, {}, report);
  ASSERT_EQ(map.size(), 2);
  EXPECT_EQ(map.nameOf(0), "alpha");
  EXPECT_EQ(data.rows[0].labelId, 1);
  EXPECT_EQ(data.rows[1].labelId, 0);
}

TEST(LabelMapFile, ReadsAndValidates) {
  TempDir dir;
  const auto map = LabelMap::readFile(dir.write("l.tsv", "관계_없음\t0\n인물:배우자\t1\n"));
  EXPECT_EQ(map.size(), 2);
  EXPECT_EQ(*map.idOf("인물:배우자"), 1);
  EXPECT_FALSE(map.idOf("nope"));
  EXPECT_THROW(LabelMap::readFile(dir.write("gap.tsv", "a\t0\nb\t2\n")), DataError);
  EXPECT_THROW(LabelMap::readFile(dir.write("dup.tsv", "a\t0\na\t1\n")), DataError);
  EXPECT_THROW(LabelMap::readFile(dir.write("bad.tsv", "a\tzero\n")), DataError);
  EXPECT_THROW(LabelMap::readFile(dir.write("empty.tsv", "")), DataError);
}

TEST(SharedData, CompetitionTrainingFileLoadsWithRepairs) {
  const std::string dir = testing::sharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/klue-re-pstage not present";
  LabelMap map = LabelMap::readFile(dir + "/labels.tsv");
  LoadReport report;
  const auto data = loadDataset(dir + "/train.tsv", DatasetFormat::Auto, map, {}, report);
  EXPECT_EQ(data.rows.size(), 8005u);
  EXPECT_EQ(map.size(), 42);
  EXPECT_GT(report.repairs.size(), 0u);
  EXPECT_EQ(report.problemCount, 0u);
  EXPECT_FALSE(report.overlappingLines.empty());
  for (const auto& r : report.repairs) EXPECT_LE(std::abs(r.shift()), 16);
}

}  // namespace
}  // namespace foldbench::data
