#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "foldbench/sweep/sampler.h"
#include "foldbench/util/numbers.h"

namespace foldbench::sweep {
namespace {

SweepSpec space(SamplerKind sampler) {
  SweepSpec spec;
  spec.space = {parseDimension("train.lr=log:1e-5..1e-1"), parseDimension("train.epochs=2..6"),
                parseDimension("train.scheduler=cosine,linear,constant")};
  spec.sampler = sampler;
  spec.startupTrials = 8;
  return spec;
}

double number(const ParamValues& p, std::size_t i) { return *util::parseDouble(p[i].second); }

TEST(Sampler, ProposalsStayInTheirRangesAndRepeatForTheSameTrial) {
  for (auto kind : {SamplerKind::Random, SamplerKind::QuasiRandom}) {
    const auto spec = space(kind);
    std::set<std::string> schedulers;
    std::set<long> epochs;
    for (int n = 1; n <= 60; ++n) {
      const auto p = proposeTrial(spec, {}, n);
      ASSERT_EQ(p.size(), 3u);
      EXPECT_GE(number(p, 0), 1e-5);
      EXPECT_LE(number(p, 0), 1e-1);
      epochs.insert(std::lround(number(p, 1)));
      schedulers.insert(p[2].second);
      EXPECT_EQ(proposeTrial(spec, {}, n), p) << "trial " << n << " must be proposed the same way after a resume";
    }
    EXPECT_EQ(epochs, (std::set<long>{2, 3, 4, 5, 6})) << "every integer of the range, ends included";
    EXPECT_EQ(schedulers.size(), 3u);
  }
}

TEST(Sampler, QuasiRandomCoversTheLogRangeEvenly) {
  const auto spec = space(SamplerKind::QuasiRandom);
  int decades[4] = {0, 0, 0, 0};
  for (int n = 1; n <= 16; ++n) {
    const double lr = number(proposeTrial(spec, {}, n), 0);
    ++decades[std::min(3, static_cast<int>(std::floor(std::log10(lr) + 5)))];
  }
  for (int d : decades) EXPECT_GE(d, 3) << "16 Halton points put 3 or more in each of the 4 decades";
}

TEST(Sampler, TpeMovesTowardsTheGoodRegion) {
  // Scores peak at lr = 1e-2 and fall with the distance in log scale.
  auto spec = space(SamplerKind::Tpe);
  std::vector<tracker::TrialRecord> history;
  const auto scoreOf = [](double lr) { return 0.9 - 0.1 * std::pow(std::log10(lr) + 2.0, 2); };
  for (int n = 1; n <= 40; ++n) {
    tracker::TrialRecord t;
    t.trial = n;
    t.params = proposeTrial(spec, history, n);
    t.status = tracker::TrialStatus::Finished;
    t.mean = scoreOf(number(t.params, 0));
    history.push_back(t);
  }
  double startup = 0.0, guided = 0.0;
  for (int n = 0; n < 8; ++n) startup += std::fabs(std::log10(number(history[static_cast<std::size_t>(n)].params, 0)) + 2.0);
  for (int n = 20; n < 40; ++n) guided += std::fabs(std::log10(number(history[static_cast<std::size_t>(n)].params, 0)) + 2.0);
  startup /= 8;
  guided /= 20;
  EXPECT_LT(guided, startup * 0.6) << "TPE's proposals sit closer to the best learning rate than the quasi-random start "
                                   << "(mean distance in decades " << guided << " vs " << startup << ")";
}

TEST(Sampler, EachTrialTrainsItsFoldsInItsOwnOrder) {
  const auto spec = space(SamplerKind::Tpe);
  std::set<std::vector<int>> orders;
  for (int n = 1; n <= 10; ++n) {
    auto order = foldOrderFor(spec, 5, n);
    EXPECT_EQ(order, foldOrderFor(spec, 5, n));
    orders.insert(order);
    std::sort(order.begin(), order.end());
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  }
  EXPECT_GE(orders.size(), 8u);
}

}  // namespace
}  // namespace foldbench::sweep
