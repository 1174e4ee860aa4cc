#include "editor/model_folder_check.h"

#include <QtConcurrent/QtConcurrentRun>
#include <mutex>

#include "foldbench/platform/blas_kernels.h"
#include "foldbench/pretrained/model_summary.h"

namespace foldbench::ui {

namespace {
double sgemmRate() {
  // ~0.3 s on 2 cores; the machine does not change while the window is open.
  static std::once_flag once;
  static double gflops = 0;
  std::call_once(once, [] { gflops = platform::measureSgemm(1024); });
  return gflops;
}
}  // namespace

ModelFolderSnapshot loadModelFolderSnapshot(const std::string& directory) {
  ModelFolderSnapshot snap;
  snap.directory = directory;
  try {
    const auto model = pretrained::openModelFolder(directory);
    const auto tokenizer = pretrained::openPretrainedTokenizer(directory);
    const auto summary = pretrained::summarizeModel(model, *tokenizer);
    snap.facts = summary.facts;
    snap.problem = summary.problem;
    snap.config = model.config;
    snap.usable = true;
  } catch (const std::exception& e) {
    snap.error = e.what();
    return snap;
  }
  snap.sgemmGflops = sgemmRate();
  return snap;
}

ModelFolderCheck::ModelFolderCheck(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<ModelFolderSnapshot>::finished, this, [this] {
    if (hasPending_) {  // a newer request arrived while this one ran: its result is stale
      startPending();
      return;
    }
    latest_ = watcher_.result();
    emit checked(latest_);
  });
}

ModelFolderCheck::~ModelFolderCheck() { watcher_.waitForFinished(); }

void ModelFolderCheck::request(const QString& directory) {
  pending_ = directory;
  hasPending_ = true;
  if (!watcher_.isRunning()) startPending();
}

void ModelFolderCheck::startPending() {
  hasPending_ = false;
  const std::string directory = pending_.toStdString();
  watcher_.setFuture(QtConcurrent::run([directory] { return loadModelFolderSnapshot(directory); }));
}

}  // namespace foldbench::ui
