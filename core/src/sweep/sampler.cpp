#include "foldbench/sweep/sampler.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "foldbench/data/random.h"
#include "foldbench/util/numbers.h"

namespace foldbench::sweep {

namespace {

// Every stream of random numbers here is seeded from the sweep's seed, the trial number and a
// purpose, so the same trial gets the same proposal however the sweep was interrupted.
std::mt19937_64 streamFor(const SweepSpec& spec, int number, std::uint64_t purpose) {
  std::seed_seq seq{static_cast<std::uint32_t>(spec.seed), static_cast<std::uint32_t>(spec.seed >> 32),
                    static_cast<std::uint32_t>(number), static_cast<std::uint32_t>(purpose)};
  return std::mt19937_64(seq);
}

double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Four significant digits: what a table can show and a user can type again ("0.0002572", not
// "0.0002572351148146664"); finer than any sweep tells apart.
double fourDigits(double v) {
  if (v == 0.0 || !std::isfinite(v)) return v;
  const double scale = std::pow(10.0, 3 - std::floor(std::log10(std::fabs(v))));
  return std::round(v * scale) / scale;
}

// A point of [0, 1) -> the dimension's value, as text.
std::string valueAt(const Dimension& d, double u) {
  u = std::clamp(u, 0.0, std::nextafter(1.0, 0.0));
  switch (d.kind) {
    case DimensionKind::Choice: return d.choices[static_cast<std::size_t>(u * static_cast<double>(d.choices.size()))];
    case DimensionKind::Int: {
      const auto lo = static_cast<long long>(std::llround(d.low)), hi = static_cast<long long>(std::llround(d.high));
      return std::to_string(lo + static_cast<long long>(u * static_cast<double>(hi - lo + 1)));
    }
    case DimensionKind::Float: {
      const double v = d.log ? std::exp(std::log(d.low) + u * (std::log(d.high) - std::log(d.low))) : d.low + u * (d.high - d.low);
      return util::formatDouble(std::clamp(fourDigits(v), d.low, d.high));
    }
  }
  return {};
}

// The inverse of valueAt for numbers: where a value sits in [0, 1]. Choices: the index.
double positionOf(const Dimension& d, const std::string& text) {
  if (d.kind == DimensionKind::Choice) {
    const auto it = std::find(d.choices.begin(), d.choices.end(), text);
    return static_cast<double>(it - d.choices.begin());
  }
  const double v = util::parseDouble(text).value_or(d.low);
  if (d.kind == DimensionKind::Int) return (v - std::round(d.low) + 0.5) / (std::round(d.high) - std::round(d.low) + 1.0);
  if (d.log) return (std::log(v) - std::log(d.low)) / (std::log(d.high) - std::log(d.low));
  return (v - d.low) / (d.high - d.low);
}

// Halton's radical inverse in a prime base, shifted modulo 1 by a seeded offset (Cranley and
// Patterson) so that two sweeps with different seeds do not sample the same points.
double radicalInverse(int index, int base) {
  double result = 0.0, scale = 1.0 / base;
  for (int i = index; i > 0; i /= base, scale /= base) result += (i % base) * scale;
  return result;
}

const int kPrimes[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97};

ParamValues quasiRandom(const SweepSpec& spec, int number) {
  auto rng = streamFor(spec, 0, 1);  // one shift per sweep
  ParamValues values;
  for (std::size_t i = 0; i < spec.space.size(); ++i) {
    const int base = kPrimes[i % (sizeof kPrimes / sizeof kPrimes[0])];
    const double u = std::fmod(radicalInverse(number, base) + unit(rng), 1.0);
    values.emplace_back(spec.space[i].key, valueAt(spec.space[i], u));
  }
  return values;
}

ParamValues random(const SweepSpec& spec, int number) {
  auto rng = streamFor(spec, number, 2);
  ParamValues values;
  for (const auto& d : spec.space) values.emplace_back(d.key, valueAt(d, unit(rng)));
  return values;
}

struct Observation {
  const tracker::TrialRecord* trial;
  bool good;
};

const std::string* paramOf(const tracker::TrialRecord& t, const std::string& key) {
  for (const auto& [k, v] : t.params)
    if (k == key) return &v;
  return nullptr;
}

// A Parzen estimator over [0, 1]: a Gaussian at each point with one bandwidth, plus a uniform
// prior weighted as one more point, so no region ever has density 0.
struct Parzen {
  std::vector<double> centres;
  double bandwidth = 0.25;

  explicit Parzen(std::vector<double> points) : centres(std::move(points)) {
    const double n = static_cast<double>(centres.size());
    if (centres.size() > 1) {
      double mean = 0.0, var = 0.0;
      for (double c : centres) mean += c;
      mean /= n;
      for (double c : centres) var += (c - mean) * (c - mean);
      bandwidth = 1.06 * std::sqrt(var / n) * std::pow(n, -0.2);
    }
    bandwidth = std::clamp(bandwidth, 0.03, 0.5);
  }
  double density(double x) const {
    double sum = 1.0;  // the uniform prior
    for (double c : centres) sum += std::exp(-0.5 * (x - c) * (x - c) / (bandwidth * bandwidth)) / (bandwidth * std::sqrt(2 * M_PI));
    return sum / (static_cast<double>(centres.size()) + 1.0);
  }
  double sample(std::mt19937_64& rng) const {
    const auto pick = data::uniformBelow(rng, centres.size() + 1);
    if (pick == centres.size()) return unit(rng);
    // Box-Muller by hand: std::normal_distribution differs between standard libraries.
    const double radius = std::sqrt(-2.0 * std::log(1.0 - unit(rng)));
    double x = centres[pick] + bandwidth * radius * std::cos(2.0 * M_PI * unit(rng));
    // Reflect at the edges rather than pile up on them.
    for (int i = 0; i < 4 && (x < 0.0 || x > 1.0); ++i) x = x < 0.0 ? -x : 2.0 - x;
    return std::clamp(x, 0.0, 1.0);
  }
};

// Univariate TPE (Bergstra et al. 2011, as Optuna's default): split the scored trials into the
// best quarter and the rest, and per dimension take, among candidates drawn from the good
// trials' density l, the one with the highest l(x)/g(x).
ParamValues tpe(const SweepSpec& spec, const std::vector<tracker::TrialRecord>& history, int number) {
  std::vector<const tracker::TrialRecord*> finished, pruned;
  for (const auto& t : history) {
    if (t.status == tracker::TrialStatus::Finished) finished.push_back(&t);
    if (t.status == tracker::TrialStatus::Pruned) pruned.push_back(&t);
  }
  if (finished.size() + pruned.size() < 2 || finished.empty()) return quasiRandom(spec, number);
  std::stable_sort(finished.begin(), finished.end(), [](const auto* a, const auto* b) { return a->mean > b->mean; });
  const std::size_t total = finished.size() + pruned.size();
  const std::size_t goodCount = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(0.25 * static_cast<double>(total))), 1,
                                                        std::min<std::size_t>(25, finished.size()));
  std::vector<Observation> observations;
  for (std::size_t i = 0; i < finished.size(); ++i) observations.push_back({finished[i], i < goodCount});
  for (const auto* t : pruned) observations.push_back({t, false});

  auto rng = streamFor(spec, number, 3);
  constexpr int kCandidates = 24;
  ParamValues values;
  for (const auto& d : spec.space) {
    if (d.kind == DimensionKind::Choice) {
      const std::size_t n = d.choices.size();
      std::vector<double> good(n, 1.0 / static_cast<double>(n)), bad(n, 1.0 / static_cast<double>(n));
      for (const auto& o : observations)
        if (const auto* v = paramOf(*o.trial, d.key)) {
          const auto index = static_cast<std::size_t>(positionOf(d, *v));
          if (index < n) (o.good ? good : bad)[index] += 1.0;
        }
      std::size_t best = 0;
      double bestRatio = -1.0;
      double goodSum = 0.0;
      for (double g : good) goodSum += g;
      for (int c = 0; c < kCandidates; ++c) {
        double pick = unit(rng) * goodSum;
        std::size_t index = 0;
        while (index + 1 < n && pick >= good[index]) pick -= good[index++];
        const double ratio = good[index] / bad[index];
        if (ratio > bestRatio) bestRatio = ratio, best = index;
      }
      values.emplace_back(d.key, d.choices[best]);
      continue;
    }
    std::vector<double> goodPoints, badPoints;
    for (const auto& o : observations)
      if (const auto* v = paramOf(*o.trial, d.key)) (o.good ? goodPoints : badPoints).push_back(std::clamp(positionOf(d, *v), 0.0, 1.0));
    const Parzen l(goodPoints), g(badPoints);
    double best = 0.5, bestRatio = -1.0;
    for (int c = 0; c < kCandidates; ++c) {
      const double x = l.sample(rng);
      const double ratio = l.density(x) / g.density(x);
      if (ratio > bestRatio) bestRatio = ratio, best = x;
    }
    values.emplace_back(d.key, valueAt(d, best));
  }
  return values;
}

}  // namespace

ParamValues proposeTrial(const SweepSpec& spec, const std::vector<tracker::TrialRecord>& history, int number) {
  switch (spec.sampler) {
    case SamplerKind::Random: return random(spec, number);
    case SamplerKind::QuasiRandom: return quasiRandom(spec, number);
    case SamplerKind::Tpe: return number <= spec.startupTrials ? quasiRandom(spec, number) : tpe(spec, history, number);
  }
  return random(spec, number);
}

std::vector<int> foldOrderFor(const SweepSpec& spec, int folds, int number) {
  std::vector<int> order(static_cast<std::size_t>(folds));
  for (int f = 0; f < folds; ++f) order[static_cast<std::size_t>(f)] = f;
  auto rng = streamFor(spec, number, 4);
  data::seededShuffle(order, rng);
  return order;
}

}  // namespace foldbench::sweep
