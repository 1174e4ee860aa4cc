#pragma once
// The window's only connection to the tracker: a read-only RunStore on its own thread, so a
// busy writer (this window's training, `foldbench-cli train` in a terminal, an import) never
// blocks the GUI. It polls SQLite's data_version and says `changed()` when another connection
// committed; views then re-read what they show. Writes the user asks for (tag, note, rename,
// delete) open a short read-write connection on the same thread.
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <memory>

#include "foldbench/tracker/run_store.h"

class QThread;

namespace foldbench::ui {

class StoreWorker;

class TrackerReader : public QObject {
  Q_OBJECT
 public:
  explicit TrackerReader(const QString& databasePath, QObject* parent = nullptr);
  ~TrackerReader() override;

  void setDatabase(const QString& path);
  QString database() const { return path_; }

  // Runs `work` on the reader's thread; `done` receives its result on the GUI thread, `failed`
  // the error text, unless `context` was destroyed meanwhile.
  template <typename Result>
  void read(QObject* context, std::function<Result(const tracker::RunStore&)> work, std::function<void(Result)> done,
            std::function<void(QString)> failed = {}) {
    QPointer<QObject> guard(context);
    post([guard, work = std::move(work), done = std::move(done), failed = std::move(failed)](const tracker::RunStore* store,
                                                                                              const QString& unavailable) {
      if (!store) return deliver(guard, [failed, unavailable] { if (failed) failed(unavailable); });
      try {
        auto result = std::make_shared<Result>(work(*store));
        deliver(guard, [done, result] { done(std::move(*result)); });
      } catch (const std::exception& e) {
        const QString message = QString::fromStdString(e.what());
        deliver(guard, [failed, message] { if (failed) failed(message); });
      }
    });
  }

  // Runs `work` with a read-write connection opened for it; `done` gets "" or the error text.
  void write(QObject* context, std::function<void(tracker::RunStore&)> work, std::function<void(QString)> done);

  // Polls now instead of at the next tick (after this window wrote something, say).
  void pollNow();

 signals:
  void changed();                    // the database was (re)opened or another connection committed
  void unavailable(const QString& reason);  // no file yet, or not usable
  // This window changed the tracker (tag, note, rename, delete): views re-read all they show,
  // since such changes leave no trace in the runs' times.
  void wrote();

 private:
  using Task = std::function<void(const tracker::RunStore*, const QString&)>;
  void post(Task task);
  static void deliver(const QPointer<QObject>& context, std::function<void()> fn);

  QString path_;
  QThread* thread_;
  StoreWorker* worker_;
};

}  // namespace foldbench::ui
