// Filters and tracker parameters read numbers the same under a comma-decimal locale.
#include <gtest/gtest.h>

#include "foldbench/tracker/filter.h"
#include "foldbench/tracker/run_store.h"
#include "scoped_locale.h"
#include "temp_dir.h"

namespace foldbench::tracker {
namespace {

TEST(CommaLocale, FilterNumbersRoundTrip) {
  testing::ScopedLocale german(testing::kCommaLocale);
  const auto f = parseFilter("cv/val/acc/mean > 0.65 and train.lr <= 1e-3");
  ASSERT_EQ(f.parameters.size(), 4u);
  EXPECT_DOUBLE_EQ(std::get<double>(f.parameters[1]), 0.65);
  EXPECT_DOUBLE_EQ(std::get<double>(f.parameters[3]), 1e-3);
}

TEST(CommaLocale, NumericParametersAreFilterable) {
  testing::TempDir dir;
  testing::ScopedLocale german(testing::kCommaLocale);
  auto store = RunStore::open(dir.file("t.db"));
  RunInfo info;
  info.uid = "r1";
  info.name = "r1";
  const auto id = store.createRun(info, {{"train.lr", "0.001"}, {"train.scheduler", "cosine"}});
  ListQuery query;
  query.filter = "params.train.lr < 0.01";
  const auto rows = store.listRuns(query);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, id);
  query.filter = "params.train.lr > 0.01";
  EXPECT_TRUE(store.listRuns(query).empty());
}

}  // namespace
}  // namespace foldbench::tracker
