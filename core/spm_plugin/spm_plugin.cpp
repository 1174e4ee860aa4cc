// libfoldbench_spm: sentencepiece behind a C interface. Nothing else in Foldbench links it.
#include <sentencepiece_processor.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "spm_plugin_api.h"

namespace {
void copyError(const std::string& text, char* err, int errLen) {
  if (!err || errLen <= 0) return;
  const auto n = std::min<std::size_t>(text.size(), static_cast<std::size_t>(errLen - 1));
  std::memcpy(err, text.data(), n);
  err[n] = '\0';
}
}  // namespace

extern "C" {

__attribute__((visibility("default"))) int fbspm_api_version() { return FBSPM_API_VERSION; }

// No C++ exception may cross this C interface: every entry point catches everything and
// reports an error value (and, where there is room, a message).
__attribute__((visibility("default"))) void* fbspm_load(const char* path, char* err, int errLen) {
  try {
    auto processor = std::make_unique<sentencepiece::SentencePieceProcessor>();
    const auto status = processor->Load(path);
    if (!status.ok()) {
      copyError(status.ToString(), err, errLen);
      return nullptr;
    }
    return processor.release();
  } catch (const std::exception& e) {
    copyError(e.what(), err, errLen);
  } catch (...) {
    copyError("unknown error while loading the sentencepiece model", err, errLen);
  }
  return nullptr;
}

__attribute__((visibility("default"))) void fbspm_free(void* processor) {
  delete static_cast<sentencepiece::SentencePieceProcessor*>(processor);
}

__attribute__((visibility("default"))) int fbspm_encode(void* processor, const char* text, int textLen, int* ids,
                                                        int capacity) {
  try {
    std::vector<int> pieces;
    const auto status = static_cast<sentencepiece::SentencePieceProcessor*>(processor)->Encode(
        absl::string_view(text, static_cast<std::size_t>(textLen)), &pieces);
    if (!status.ok()) return -1;
    const int n = static_cast<int>(pieces.size());
    std::copy_n(pieces.begin(), std::min(n, capacity), ids);
    return n;
  } catch (...) {
    return -1;
  }
}

__attribute__((visibility("default"))) int fbspm_piece_count(void* processor) {
  try {
    return static_cast<sentencepiece::SentencePieceProcessor*>(processor)->GetPieceSize();
  } catch (...) {
    return -1;
  }
}

__attribute__((visibility("default"))) int fbspm_unk_id(void* processor) {
  try {
    return static_cast<sentencepiece::SentencePieceProcessor*>(processor)->unk_id();
  } catch (...) {
    return -1;
  }
}

// Copies the piece when it fits (with its terminating zero) and returns its length in bytes
// either way, so a caller with too small a buffer can ask again with a bigger one.
__attribute__((visibility("default"))) int fbspm_id_to_piece(void* processor, int id, char* out, int capacity) {
  try {
    auto* p = static_cast<sentencepiece::SentencePieceProcessor*>(processor);
    if (id < 0 || id >= p->GetPieceSize()) return -1;
    const std::string piece = p->IdToPiece(id);
    if (static_cast<int>(piece.size()) < capacity) copyError(piece, out, capacity);
    return static_cast<int>(piece.size());
  } catch (...) {
    return -1;
  }
}

}  // extern "C"
