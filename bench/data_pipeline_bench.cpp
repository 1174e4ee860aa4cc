// Load + repair + tokenize throughput on the shared competition training file.
// Usage: foldbench-bench-data [DIR]   (default: ../shared/data/klue-re-pstage)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "foldbench/data/readers.h"
#include "foldbench/text/encoding_cache.h"
#include "foldbench/text/input_encoder.h"
#include "foldbench/text/tokenizer.h"

using namespace foldbench;
using Clock = std::chrono::steady_clock;

static double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : FOLDBENCH_SOURCE_DIR "/../shared/data/klue-re-pstage";
  if (!std::filesystem::exists(dir + "/train.tsv")) {
    std::printf("SKIP: %s/train.tsv not found\n", dir.c_str());
    return 0;
  }
  const std::string work = std::filesystem::temp_directory_path() / "foldbench-bench-data";
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);

  // Tokenizer trained once, outside the timed pipeline (a run trains it once and caches it).
  data::LabelMap labels = data::LabelMap::readFile(dir + "/labels.tsv");
  data::LoadReport warmReport;
  const auto warm = data::loadDataset(dir + "/train.tsv", data::DatasetFormat::Auto, labels, {}, warmReport);
  std::vector<std::string> sentences;
  for (const auto& r : warm.rows) sentences.push_back(r.sentence);
  auto t = Clock::now();
  const auto tokenizer = text::Tokenizer::train(sentences, {}, work + "/spm");
  const double trainSeconds = secondsSince(t);

  const int repeats = 5;
  double loadSeconds = 0, encodeSeconds = 0;
  std::size_t rows = 0, repairs = 0, tokens = 0;
  for (int i = 0; i < repeats; ++i) {
    t = Clock::now();
    data::LoadReport report;
    const auto dataset = data::loadDataset(dir + "/train.tsv", data::DatasetFormat::Auto, labels, {}, report);
    loadSeconds += secondsSince(t);
    t = Clock::now();
    const text::InputEncoder encoder(tokenizer, {text::InputFormat::EntityMarkers, 128});
    const auto encoded = text::encodeAll(dataset.rows, encoder, nullptr);
    encodeSeconds += secondsSince(t);
    rows = dataset.rows.size();
    repairs = report.repairs.size();
    tokens = 0;
    for (const auto& e : encoded) tokens += e.ids.size();
  }
  // A cache hit replaces the encoding step on the second run of the same data.
  const text::EncodingCache cache(work + "/cache");
  const text::InputEncoder encoder(tokenizer, {text::InputFormat::EntityMarkers, 128});
  data::LoadReport report;
  const auto dataset = data::loadDataset(dir + "/train.tsv", data::DatasetFormat::Auto, labels, {}, report);
  text::encodeAll(dataset.rows, encoder, &cache);
  t = Clock::now();
  text::EncodeStats stats;
  text::encodeAll(dataset.rows, encoder, &cache, &stats);
  const double cachedSeconds = secondsSince(t);

  const double perRun = (loadSeconds + encodeSeconds) / repeats;
  std::printf("rows                         %zu (%zu offsets repaired)\n", rows, repairs);
  std::printf("tokenizer training           %.2f s (unigram, 8000 pieces, once per dataset)\n", trainSeconds);
  std::printf("load + repair                %.0f rows/s\n", rows * repeats / loadSeconds);
  std::printf("tokenize (markers, 128)      %.0f rows/s, %.0f tokens/s\n", rows * repeats / encodeSeconds,
              tokens * repeats / encodeSeconds);
  std::printf("load + repair + tokenize     %.0f rows/s (%.3f s per pass)\n", rows / perRun, perRun);
  std::printf("encoding cache hit           %.0f rows/s (%.1fx the tokenizer)%s\n", rows / cachedSeconds,
              (encodeSeconds / repeats) / cachedSeconds, stats.cacheHit ? "" : " [MISS]");
  std::filesystem::remove_all(work);
  return 0;
}
