#include "data_fingerprint.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "foldbench/platform/atomic_file.h"
#include "foldbench/text/hash.h"

namespace foldbench::kfold {

void writeDataFingerprint(const std::string& runDir, const std::string& trainPath) {
  platform::writeFileAtomically(runDir + "/" + kDataFingerprintFile, text::fileFingerprint(trainPath) + "\t" + trainPath + "\n");
}

void checkDataFingerprint(const std::string& runDir, const std::string& trainPath) {
  const std::string path = runDir + "/" + kDataFingerprintFile;
  std::ifstream in(path);
  if (!in) return;
  std::string expected;
  std::getline(in, expected, '\t');
  if (expected.empty()) throw std::runtime_error(path + ": empty; the run folder is damaged");
  if (!std::filesystem::exists(trainPath))
    throw std::runtime_error("the training file " + trainPath + " is missing on this machine (the run was prepared from it)");
  const std::string now = text::fileFingerprint(trainPath);
  if (now != expected)
    throw std::runtime_error("the training file " + trainPath + " changed since the run was prepared (fingerprint " +
                             expected + " then, " + now +
                             " now): its folds would train on other rows. Restore the file, or start a new run");
}

}  // namespace foldbench::kfold
