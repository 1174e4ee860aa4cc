#include <gtest/gtest.h>

#include "foldbench/tracker/filter.h"

namespace foldbench::tracker {
namespace {

TEST(Filter, EmptyMatchesEverything) { EXPECT_EQ(parseFilter("  ").where, "1"); }

TEST(Filter, BuildsBoundComparisons) {
  const auto f = parseFilter("cv/val/acc/mean > 0.65 and (status = finished or tag = 'best run') and not name ~ tmp");
  EXPECT_EQ(f.where.find("0.65"), std::string::npos) << "values are never inlined";
  EXPECT_EQ(f.where.find("finished"), std::string::npos);
  ASSERT_EQ(f.parameters.size(), 5u);
  EXPECT_EQ(std::get<std::string>(f.parameters[0]), "cv/val/acc/mean");
  EXPECT_DOUBLE_EQ(std::get<double>(f.parameters[1]), 0.65);
  EXPECT_EQ(std::get<std::string>(f.parameters[3]), "best run");
  EXPECT_EQ(std::get<std::string>(f.parameters[4]), "%tmp%");
  EXPECT_NE(f.where.find(" AND "), std::string::npos);
  EXPECT_NE(f.where.find("NOT"), std::string::npos);
}

TEST(Filter, HostileInputIsDataOrAnError) {
  const auto f = parseFilter("name = \"'; DROP TABLE runs; --\"");
  ASSERT_EQ(f.parameters.size(), 1u);
  EXPECT_EQ(std::get<std::string>(f.parameters[0]), "'; DROP TABLE runs; --");
  EXPECT_EQ(f.where.find("DROP"), std::string::npos);
  EXPECT_THROW(parseFilter("name = x; DROP TABLE runs"), FilterError);
  EXPECT_THROW(parseFilter("status = 'unterminated"), FilterError);
  EXPECT_THROW(parseFilter("status finished"), FilterError);
  EXPECT_THROW(parseFilter("(status = finished"), FilterError);
  EXPECT_THROW(parseFilter("status = finished)"), FilterError);
  EXPECT_THROW(parseFilter("and = 1"), FilterError);
  EXPECT_THROW(parseFilter("tag > 3"), FilterError);
  EXPECT_THROW(parseFilter(std::string(200, '(') + "status = x" + std::string(200, ')')), FilterError);
  try {
    parseFilter("status = finished and");
    FAIL();
  } catch (const FilterError& e) {
    EXPECT_EQ(e.position(), 21u);
  }
}

}  // namespace
}  // namespace foldbench::tracker
