#pragma once
// Submission files: checked against the test file and the label map, written atomically,
// never replacing an existing file unless asked.
#include <string>
#include <vector>

#include "foldbench/data/label_map.h"
#include "foldbench/ensemble/voting.h"

namespace foldbench::ensemble {

enum class SubmissionFormat {
  Pstage,   // header "pred", one integer label id per test row, in test-file order
  Klue,     // id,pred_label,probs  (probs: the probability vector as a JSON list)
  Generic,  // id,label
};
SubmissionFormat parseSubmissionFormat(const std::string& name);  // pstage | klue | generic
std::string submissionFormatName(SubmissionFormat format);

struct Submission {
  std::vector<std::string> ids;  // test row ids, in test-file order
  std::vector<int> predicted;    // label ids
  Probabilities probabilities;   // needed by the klue format and the probability file
};

// Throws std::runtime_error naming what does not match: row count, ids or order against
// `testIds`, label ids outside the map, an existing file without `overwrite`. Nothing is
// written then; a failed write leaves no partial file.
void writeSubmission(const std::string& path, SubmissionFormat format, const Submission& submission,
                     const data::LabelMap& labels, const std::vector<std::string>& testIds, bool overwrite);

// Per-row probabilities for later blending: id then one column per label name.
void writeProbabilities(const std::string& path, const Submission& submission, const data::LabelMap& labels,
                        bool overwrite);

// Reads a submission back (ids are empty for the pstage format, which has none).
Submission readSubmission(const std::string& path, SubmissionFormat format, const data::LabelMap& labels);

}  // namespace foldbench::ensemble
