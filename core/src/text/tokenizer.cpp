#include "foldbench/text/tokenizer.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "foldbench/text/hash.h"
#include "foldbench/text/special_tokens.h"
#include "foldbench/util/numbers.h"
#include "spm_plugin_api.h"

#ifndef FOLDBENCH_SPM_PLUGIN_BUILD_PATH
#define FOLDBENCH_SPM_PLUGIN_BUILD_PATH ""
#endif

extern char** environ;

namespace foldbench::text {

namespace fs = std::filesystem;

struct Tokenizer::Plugin {
  fbspm_load_fn load;
  fbspm_free_fn free;
  fbspm_encode_fn encode;
  fbspm_piece_count_fn pieceCount;
  fbspm_unk_id_fn unkId;
  fbspm_id_to_piece_fn idToPiece;
};

namespace {

constexpr const char* kPluginName = "libfoldbench_spm.so";

std::string executableDir() {
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::vector<std::string> pluginCandidates() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("FOLDBENCH_SPM_PLUGIN"); env && *env) paths.emplace_back(env);
  const std::string exeDir = executableDir();
  if (!exeDir.empty()) {
    paths.push_back(exeDir + "/" + kPluginName);
    paths.push_back(exeDir + "/../lib/foldbench/" + kPluginName);
  }
  if (*FOLDBENCH_SPM_PLUGIN_BUILD_PATH) paths.emplace_back(FOLDBENCH_SPM_PLUGIN_BUILD_PATH);
  return paths;
}

template <typename Fn>
Fn symbol(void* handle, const char* name) {
  void* sym = dlsym(handle, name);
  if (!sym) throw std::runtime_error(std::string("spm plugin lacks symbol ") + name);
  return reinterpret_cast<Fn>(sym);
}

const Tokenizer::Plugin* loadPlugin();

// The helper programs are installed next to the plugin.
std::string helperPath(const std::string& name) {
  const std::string plugin = spmPluginPath();
  if (plugin.empty()) return {};
  const auto path = fs::path(plugin).parent_path() / name;
  return fs::exists(path) ? path.string() : std::string();
}

// Runs `program args...`; returns empty on success, else what it wrote to stderr (or why it
// failed). Raising `cancel` ends the helper (SIGTERM) and throws TokenizerTrainingCancelled.
std::string runHelper(const std::string& program, const std::vector<std::string>& args, const std::atomic<bool>* cancel) {
  std::string errorFile = (fs::temp_directory_path() / "foldbench-helper-XXXXXX").string();
  const int errorFd = mkstemp(errorFile.data());
  if (errorFd < 0) return "cannot create a temporary file in " + fs::temp_directory_path().string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, errorFd, 2);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv = {const_cast<char*>(program.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  std::string error;
  int status = 0;
  bool cancelled = false;
  if (spawned != 0) {
    error = "cannot start " + program + ": " + std::strerror(spawned);
  } else {
    while (true) {
      const pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid || done < 0) break;
      if (cancel && cancel->load() && !cancelled) {
        cancelled = true;
        kill(pid, SIGTERM);
      }
      usleep(20000);
    }
    if (!cancelled && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
      std::ifstream in(errorFile);
      std::string line;
      while (std::getline(in, line)) error += (error.empty() ? "" : "\n") + line;
      if (error.empty()) error = program + " failed (status " + std::to_string(status) + ")";
    }
  }
  close(errorFd);
  unlink(errorFile.c_str());
  if (cancelled) throw TokenizerTrainingCancelled();
  return error;
}

// One extra corpus line with the punctuation markers as the PunctMarkers format writes them.
std::string markerVocabularyLine() {
  std::string line;
  for (const auto& type : typedMarkerEntityTypes()) line += "@ *" + type + "* @ # ^" + type + "^ # ";
  return line;
}

}  // namespace

std::string spmPluginPath() {
  for (const auto& path : pluginCandidates())
    if (fs::exists(path)) return fs::path(path).lexically_normal().string();
  return {};
}

namespace {

// RTLD_LOCAL | RTLD_DEEPBIND keeps sentencepiece's bundled protobuf away from LibTorch's.
// AddressSanitizer refuses RTLD_DEEPBIND (docs/PLATFORM-FACTS.md), so a sanitizer build loads the plugin
// with RTLD_LOCAL alone.
#if defined(__SANITIZE_ADDRESS__)
void* openPlugin(const std::string& path) { return dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL); }
#else
void* openPlugin(const std::string& path) { return dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND); }
#endif

const Tokenizer::Plugin* loadPlugin() {
  static std::once_flag once;
  static Tokenizer::Plugin plugin{};
  static std::string error;
  std::call_once(once, [] {
    const std::string path = spmPluginPath();
    if (path.empty()) {
      error = "sentencepiece plugin " + std::string(kPluginName) +
              " not found (set FOLDBENCH_SPM_PLUGIN to its path)";
      return;
    }
    void* handle = openPlugin(path);
    if (!handle) {
      error = "cannot load " + path + ": " + dlerror();
      return;
    }
    try {
      if (symbol<fbspm_api_version_fn>(handle, "fbspm_api_version")() != FBSPM_API_VERSION)
        throw std::runtime_error(path + " has another plugin interface version");
      plugin = {symbol<fbspm_load_fn>(handle, "fbspm_load"),
                symbol<fbspm_free_fn>(handle, "fbspm_free"),
                symbol<fbspm_encode_fn>(handle, "fbspm_encode"),
                symbol<fbspm_piece_count_fn>(handle, "fbspm_piece_count"),
                symbol<fbspm_unk_id_fn>(handle, "fbspm_unk_id"),
                symbol<fbspm_id_to_piece_fn>(handle, "fbspm_id_to_piece")};
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  if (!plugin.load) throw std::runtime_error(error);
  return &plugin;
}

}  // namespace

Tokenizer::Tokenizer(const Plugin* plugin, void* processor, std::string modelPath, std::uint64_t fingerprint)
    : plugin_(plugin), processor_(processor), modelPath_(std::move(modelPath)), fingerprint_(fingerprint) {
  pieceCount_ = plugin_->pieceCount(processor_);
  unkPiece_ = plugin_->unkId(processor_);
}

Tokenizer::~Tokenizer() {
  if (processor_) plugin_->free(processor_);
}

Tokenizer::Tokenizer(Tokenizer&& other) noexcept
    : plugin_(other.plugin_),
      processor_(std::exchange(other.processor_, nullptr)),
      modelPath_(std::move(other.modelPath_)),
      fingerprint_(other.fingerprint_),
      pieceCount_(other.pieceCount_),
      unkPiece_(other.unkPiece_) {}

Tokenizer& Tokenizer::operator=(Tokenizer&& other) noexcept {
  if (this != &other) {
    if (processor_) plugin_->free(processor_);
    plugin_ = other.plugin_;
    processor_ = std::exchange(other.processor_, nullptr);
    modelPath_ = std::move(other.modelPath_);
    fingerprint_ = other.fingerprint_;
    pieceCount_ = other.pieceCount_;
    unkPiece_ = other.unkPiece_;
  }
  return *this;
}

Tokenizer Tokenizer::load(const std::string& modelPath) {
  const Plugin* plugin = loadPlugin();
  if (!fs::exists(modelPath)) throw std::runtime_error("tokenizer model not found: " + modelPath);
  char err[1024] = {0};
  void* processor = plugin->load(modelPath.c_str(), err, sizeof err);
  if (!processor) throw std::runtime_error("cannot load tokenizer model " + modelPath + ": " + err);
  return Tokenizer(plugin, processor, modelPath, hashFile(modelPath));
}

TokenizerTrainingCancelled::TokenizerTrainingCancelled() : std::runtime_error("tokenizer training was cancelled") {}

Tokenizer Tokenizer::train(const std::vector<std::string>& sentences, const TokenizerTrainOptions& options,
                           const std::string& modelPrefix, const std::atomic<bool>* cancel) {
  if (options.modelType != "unigram" && options.modelType != "bpe")
    throw std::invalid_argument("tokenizer model type must be unigram or bpe, not '" + options.modelType + "'");
  if (sentences.empty()) throw std::invalid_argument("cannot train a tokenizer on no sentences");
  loadPlugin();  // fail early, before training, when the plugin is missing
  const fs::path prefix(modelPrefix);
  if (prefix.has_parent_path()) fs::create_directories(prefix.parent_path());
  const std::string corpus = modelPrefix + ".corpus.txt";
  {
    std::ofstream out(corpus, std::ios::binary);
    for (const auto& s : sentences) out << s << '\n';
    out << markerVocabularyLine() << '\n';
    if (!out) throw std::runtime_error("cannot write tokenizer corpus " + corpus);
  }
  // Special tokens live outside the sentencepiece model (special_tokens.h); hard_vocab_limit
  // off lets small corpora train with fewer pieces than asked; the punctuation-marker input
  // format needs its characters and the entity type names even where the corpus lacks them.
  // One argument each, so paths with spaces stay whole.
  const std::vector<std::string> args = {
      "--input=" + corpus, "--model_prefix=" + modelPrefix, "--model_type=" + options.modelType,
      "--vocab_size=" + std::to_string(options.vocabSize),
      "--character_coverage=" + util::formatDouble(options.characterCoverage),
      "--num_threads=" + std::to_string(options.threads), "--hard_vocab_limit=false", "--bos_id=-1", "--eos_id=-1",
      "--minloglevel=2"};
  const std::string trainer = helperPath("foldbench-spm-train");
  if (trainer.empty()) throw std::runtime_error("foldbench-spm-train not found next to " + spmPluginPath());
  std::string error;
  try {
    error = runHelper(trainer, args, cancel);
  } catch (...) {
    fs::remove(corpus);
    throw;
  }
  fs::remove(corpus);
  if (!error.empty()) throw std::runtime_error("tokenizer training failed: " + error);
  return load(modelPrefix + ".model");
}

std::vector<std::int32_t> Tokenizer::encodePieceIds(std::string_view text) const {
  std::vector<std::int32_t> ids;
  if (text.empty()) return ids;
  int buffer[256];
  int n = plugin_->encode(processor_, text.data(), static_cast<int>(text.size()), buffer, 256);
  if (n < 0) throw std::runtime_error("sentencepiece failed to encode text");
  if (n <= 256) return std::vector<std::int32_t>(buffer, buffer + n);
  std::vector<int> large(static_cast<std::size_t>(n));
  n = plugin_->encode(processor_, text.data(), static_cast<int>(text.size()), large.data(), n);
  if (n < 0) throw std::runtime_error("sentencepiece failed to encode text");
  large.resize(static_cast<std::size_t>(n));
  return std::vector<std::int32_t>(large.begin(), large.end());
}

void Tokenizer::encodeAppend(std::string_view text, std::vector<std::int32_t>& out) const {
  const int offset = specialTokenCount();
  for (const std::int32_t id : encodePieceIds(text)) out.push_back(id == unkPiece_ ? kUnk : id + offset);
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<std::int32_t> ids;
  encodeAppend(text, ids);
  return ids;
}

int Tokenizer::vocabSize() const { return specialTokenCount() + pieceCount_; }

std::string Tokenizer::pieceText(int pieceId) const {
  std::vector<char> text(256);
  int length = plugin_->idToPiece(processor_, pieceId, text.data(), static_cast<int>(text.size()));
  if (length >= static_cast<int>(text.size())) {  // a long piece (user-defined symbols can be): ask again
    text.resize(static_cast<std::size_t>(length) + 1);
    length = plugin_->idToPiece(processor_, pieceId, text.data(), static_cast<int>(text.size()));
  }
  if (length < 0) throw std::out_of_range("sentencepiece id " + std::to_string(pieceId) + " outside the model");
  return std::string(text.data(), static_cast<std::size_t>(length));
}

std::string Tokenizer::piece(int id) const {
  if (id < specialTokenCount()) return specialTokenName(id);
  try {
    return pieceText(id - specialTokenCount());
  } catch (const std::out_of_range&) {
    throw std::out_of_range("token id " + std::to_string(id) + " outside the vocabulary");
  }
}

}  // namespace foldbench::text
