#include "data_commands.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "foldbench/data/dataset_stats.h"
#include "foldbench/data/folds.h"
#include "foldbench/data/readers.h"
#include "foldbench/data/sample_generator.h"
#include "foldbench/text/hash.h"
#include "foldbench/text/input_encoder.h"
#include "foldbench/text/tokenizer.h"
#include "foldbench/util/numbers.h"
#include "tokenizer_cache.h"

namespace foldbench::cli {

namespace fs = std::filesystem;

namespace {

void printLengths(const char* what, const data::LengthStats& s) {
  std::printf("%-18s min %zu  mean %.1f  median %zu  p95 %zu  max %zu\n", what, s.min, s.mean, s.p50, s.p95, s.max);
}

void printReport(const data::LoadReport& report) {
  if (!report.repairs.empty()) {
    std::map<int, std::size_t> byShift;
    for (const auto& r : report.repairs) ++byShift[r.shift()];
    std::printf("repairs           %zu entity offsets moved to where the entity text is:", report.repairs.size());
    for (const auto& [shift, n] : byShift) std::printf(" %zu by %+d", n, shift);
    std::printf("\n");
    for (std::size_t i = 0; i < report.repairs.size() && i < 5; ++i) {
      const auto& r = report.repairs[i];
      std::printf("  line %d %s: %d..%d -> %d..%d\n", r.line, r.field.c_str(), r.oldStart, r.oldEnd, r.newStart,
                  r.newEnd);
    }
    if (report.repairs.size() > 5) std::printf("  ... %zu more\n", report.repairs.size() - 5);
  }
  if (!report.overlappingLines.empty())
    std::printf("overlapping spans %zu rows (subject and object overlap; markers nest)\n",
                report.overlappingLines.size());
  if (!report.skippedLines.empty()) std::printf("skipped rows      %zu (bad rows dropped, listed below)\n",
                                                report.skippedLines.size());
  if (report.problemCount > 0) {
    std::printf("problems          %zu\n", report.problemCount);
    for (const auto& p : report.problems) std::printf("  %s\n", p.toString().c_str());
    if (report.problemCount > report.problems.size())
      std::printf("  ... %zu more not listed\n", report.problemCount - report.problems.size());
  }
}

}  // namespace

// The data file's format: --data-format (as the config's data.format). --format names an output
// format everywhere else, so an input format given as --format is refused, pointing to the new name.
data::DatasetFormat dataFormatOption(const Args& args, const std::string& command, bool formatIsOutput) {
  if (const auto old = args.value("format")) {
    if (!formatIsOutput)
      throw UsageError(command + " --format " + *old + ": the data file's format is --data-format auto|tsv|json|csv");
    if (*old == "auto" || *old == "tsv" || *old == "csv")
      throw UsageError(command + " --format " + *old + ": the data file's format is --data-format " + *old +
                       "; --format is the report's (table|json)");
  }
  return data::parseFormat(args.value("data-format", "auto"));
}

namespace {

nlohmann::ordered_json lengthsJson(const data::LengthStats& s) {
  return {{"min", s.min}, {"mean", s.mean}, {"median", s.p50}, {"p95", s.p95}, {"max", s.max}};
}

// The report's parts that a failed read has too: repairs, overlaps, skipped rows, problems.
void addReportJson(nlohmann::ordered_json& out, const data::LoadReport& report) {
  auto repairs = nlohmann::ordered_json::array();
  for (const auto& r : report.repairs)
    repairs.push_back({{"line", r.line}, {"field", r.field}, {"old_start", r.oldStart}, {"old_end", r.oldEnd},
                       {"new_start", r.newStart}, {"new_end", r.newEnd}});
  out["repairs"] = repairs;
  out["overlapping_lines"] = report.overlappingLines;
  out["skipped_lines"] = report.skippedLines;
  out["problem_count"] = report.problemCount;
  auto problems = nlohmann::ordered_json::array();
  for (const auto& p : report.problems)
    problems.push_back({{"file", p.file}, {"line", p.line}, {"field", p.field}, {"message", p.message}});
  out["problems"] = problems;
}

void printJson(const nlohmann::ordered_json& out) { std::printf("%s\n", out.dump(2).c_str()); }

}  // namespace

int dataCheck(const Args& args) {
  args.allowOnly({"labels", "format", "data-format", "skip-bad", "tokenizer", "max-len", "input-format", "max-problems"});
  if (args.positional().size() != 1) throw UsageError("data check needs exactly one FILE");
  const std::string output = args.value("format", "table");
  const auto dataFormat = dataFormatOption(args, "data check", true);
  if (output != "table" && output != "json")
    throw UsageError("data check --format is the report's format: table or json, not '" + output + "'");
  const bool json = output == "json";
  const std::string path = args.positional()[0];
  data::ReadOptions options;
  options.policy = args.flag("skip-bad") ? data::BadRowPolicy::Skip : data::BadRowPolicy::Stop;
  options.maxProblems = static_cast<std::size_t>(args.intValue("max-problems", 50));
  options.allowBlind = true;
  data::LabelMap labels;
  if (const auto labelPath = args.value("labels")) labels = data::LabelMap::readFile(*labelPath);

  data::LoadReport report;
  data::Dataset dataset;
  nlohmann::ordered_json out;
  out["file"] = path;
  try {
    dataset = data::loadDataset(path, dataFormat, labels, options, report);
  } catch (const data::DataError& e) {
    if (!std::filesystem::exists(path)) {
      if (json) {
        out["usable"] = false;
        out["error"] = path + " does not exist";
        printJson(out);
        return 1;
      }
      std::printf("file              %s\n", path.c_str());
      std::printf("result            NOT USABLE: %s does not exist\n", path.c_str());
      return 1;
    }
    // Skipping rows helps only when bad rows are the problem, and only once.
    bool badRows = false;
    for (const auto& p : e.problems()) badRows = badRows || p.line > 0;
    for (const auto& p : report.problems) badRows = badRows || p.line > 0;
    const bool adviseSkip = badRows && !args.flag("skip-bad");
    if (json) {
      out["usable"] = false;
      out["error"] = e.what();
      addReportJson(out, report);
      out["advice"] = adviseSkip ? "fix the problems, or pass --skip-bad to drop those rows" : "fix the problems";
      printJson(out);
      return 1;
    }
    std::printf("file              %s\n", path.c_str());
    printReport(report);
    if (report.problemCount == 0) std::fprintf(stderr, "%s\n", e.what());
    std::printf("result            NOT USABLE: fix the problems above%s\n",
                adviseSkip ? ", or pass --skip-bad to drop those rows" : "");
    return 1;
  }

  const auto summary = data::summarize(dataset, labels);
  const text::Tokenizer tokenizer = args.value("tokenizer") ? text::Tokenizer::load(*args.value("tokenizer"))
                                                            : cachedTokenizerFor(dataset, std::cerr);
  text::EncodeOptions encodeOptions;
  encodeOptions.maxLen = args.intValue("max-len", 128);
  encodeOptions.format = text::parseInputFormat(args.value("input-format", "markers"));
  std::vector<std::size_t> sentenceTokens, inputTokens;
  std::size_t truncated = 0;
  text::InputEncoder encoder(tokenizer, encodeOptions);
  for (const auto& row : dataset.rows) {
    sentenceTokens.push_back(tokenizer.encode(row.sentence).size());
    const auto encoded = encoder.encode(row);
    inputTokens.push_back(encoded.ids.size());
    truncated += encoded.truncated;
  }
  const auto sentenceStats = data::lengthStats(sentenceTokens), inputStats = data::lengthStats(inputTokens);

  if (json) {
    out["usable"] = true;
    out["rows"] = summary.rows;
    out["unlabelled_rows"] = summary.blindRows;
    // Without --labels the ids are this file's own (its labels in byte order).
    out["label_ids"] = args.value("labels") ? "from --labels" : "numbered alphabetically";
    auto labelList = nlohmann::ordered_json::array();
    for (const auto& l : summary.labels)
      labelList.push_back({{"id", l.id}, {"label", l.label}, {"rows", l.rows},
                           {"share", summary.rows ? static_cast<double>(l.rows) / static_cast<double>(summary.rows) : 0.0}});
    out["labels"] = labelList;
    addReportJson(out, report);
    out["characters"] = lengthsJson(summary.sentenceChars);
    out["sentence_tokens"] = lengthsJson(sentenceStats);
    out["input_tokens"] = lengthsJson(inputStats);
    out["truncated"] = truncated;
    out["max_len"] = encodeOptions.maxLen;
    out["input_format"] = text::formatName(encodeOptions.format);
    out["tokenizer"] = {{"path", tokenizer.modelPath()}, {"vocab_size", tokenizer.vocabSize()}};
    printJson(out);
    return 0;
  }
  std::printf("file              %s\n", path.c_str());
  std::printf("rows              %zu%s\n", summary.rows,
              summary.blindRows ? (" (" + std::to_string(summary.blindRows) + " unlabelled)").c_str() : "");
  // Without --labels the ids below are this file's own (its labels in byte order), which need not
  // be the ids of the labels.tsv a run trains with.
  std::printf("labels            %d%s\n", labels.size(),
              args.value("labels") ? "" : " (numbered alphabetically; pass --labels FILE for the ids training uses)");
  for (const auto& l : summary.labels) {
    const double share = summary.rows ? 100.0 * static_cast<double>(l.rows) / static_cast<double>(summary.rows) : 0;
    std::printf("  %3d %-24s %6zu  %5.1f%%\n", l.id, l.label.c_str(), l.rows, share);
  }
  printReport(report);
  printLengths("characters", summary.sentenceChars);
  printLengths("sentence tokens", sentenceStats);
  printLengths("input tokens", inputStats);
  std::printf("truncated         %zu rows at max_len %d (%s format; entities kept whole)\n", truncated,
              encodeOptions.maxLen, text::formatName(encodeOptions.format).c_str());
  std::printf("tokenizer         %s (%d ids)\n", tokenizer.modelPath().c_str(), tokenizer.vocabSize());
  std::printf("result            usable\n");
  return 0;
}

int dataSplit(const Args& args) {
  args.allowOnly({"labels", "format", "data-format", "ratio", "seed", "out", "force"});
  if (args.positional().size() != 1) throw UsageError("data split needs exactly one FILE");
  const auto out = args.value("out");
  if (!out) throw UsageError("data split needs --out DIR");
  const std::string path = args.positional()[0];
  const auto ratio = util::parseDouble(args.value("ratio", "0.1"));
  if (!ratio || !(*ratio > 0.0 && *ratio < 1.0)) throw UsageError("--ratio must be a number between 0 and 1, exclusive");
  const auto seed = static_cast<std::uint64_t>(args.intValue("seed", 42));
  data::LabelMap labels;
  if (auto l = args.value("labels")) labels = data::LabelMap::readFile(*l);
  data::LoadReport report;
  const auto dataset = data::loadDataset(path, dataFormatOption(args, "data split", false), labels, {}, report);
  std::vector<int> ids;
  for (const auto& r : dataset.rows) ids.push_back(r.labelId);
  const auto split = data::stratifiedSplit(ids, *ratio, seed);
  const fs::path dir(*out);
  for (const char* name : {"train.tsv", "holdout.tsv", "labels.tsv"})
    if (fs::exists(dir / name) && !args.flag("force"))
      throw std::runtime_error((dir / name).string() + " exists; pass --force to replace it");
  fs::create_directories(dir);
  const auto subset = [&](const std::vector<int>& rows) {
    data::Dataset d;
    for (int i : rows) d.rows.push_back(dataset.rows[static_cast<std::size_t>(i)]);
    return d;
  };
  data::writeCompetitionTsv(subset(split.train), (dir / "train.tsv").string());
  data::writeCompetitionTsv(subset(split.validation), (dir / "holdout.tsv").string());
  labels.writeFile((dir / "labels.tsv").string());
  std::printf("%zu rows: %zu to train on (%s), %zu held out (%s), seed %llu, stratified by label\n",
              dataset.rows.size(), split.train.size(), (dir / "train.tsv").c_str(), split.validation.size(),
              (dir / "holdout.tsv").c_str(), static_cast<unsigned long long>(seed));
  if (!report.repairs.empty())
    std::printf("%zu entity offsets were repaired on reading; both files hold the repaired offsets\n", report.repairs.size());
  return 0;
}

int dataSample(const Args& args) {
  args.allowOnly({"out", "force", "seed"});
  const auto out = args.value("out");
  if (!out) throw UsageError("data sample needs --out DIR");
  data::SampleOptions options;
  options.seed = static_cast<std::uint64_t>(args.intValue("seed", static_cast<int>(options.seed)));
  const auto sample = data::generateSample(options);
  data::writeSample(sample, *out, args.flag("force"));
  std::printf("wrote %zu training rows, %zu test rows and %d labels to %s\n", sample.train.rows.size(),
              sample.test.rows.size(), sample.labels.size(), out->c_str());
  return 0;
}

}  // namespace foldbench::cli
