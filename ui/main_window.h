#pragma once
// The workbench: the experiment editor dock, central tabs (Live, Dataset, Runs, Run, Compare),
// the log dock and the run status bar. The window only wires its parts together; each part
// lives in its own folder, shared pieces in shared/ and widgets/ (docs/ARCHITECTURE.md).
#include <QMainWindow>
#include <QPointer>
#include <functional>

#include "shared/live_event.h"

class QAction;
class QMenu;
class QTabWidget;

namespace foldbench::ui {

class CompareView;
class DatasetPanel;
class ExportDialog;
class ExportRunner;
class ExperimentEditor;
class LiveView;
class LogView;
class RunDetailView;
class RunStatusWidget;
class RunsView;
class TrackerReader;
class SweepController;
class SweepSetupDialog;
class SweepView;
class TrainingController;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Where bundled data and the source tree are (preset paths are resolved against them).
  void setResourceDirs(const QString& sampleDataDir, const QString& sourceDir);
  // The last config of the previous session, or the preset `fallbackPreset`.
  void restoreSession(const QString& fallbackPreset);

  // Loads a dataset into the form with `labelsPath`, or the experiment's label map when it is
  // empty, and shows its summary now; false when unusable.
  bool openDataset(const QString& path, const QString& labelsPath = {});
  bool openConfig(const QString& path);
  bool saveConfigTo(const QString& path);

  // Starts the config in the editor on the training thread; false when invalid or busy.
  bool startRun();
  void stopRun();

  // Asked when the window closes during a run; true stops the run, and the window closes once the
  // run has saved its results (the event loop goes on meanwhile). Replaceable for tests.
  std::function<bool()> confirmStopOnClose;

  DatasetPanel* datasetPanel() const { return panel_; }
  ExperimentEditor* editor() const { return editor_; }
  LiveView* liveView() const { return live_; }
  LogView* log() const { return log_; }
  TrainingController* controller() const { return controller_; }
  RunStatusWidget* runStatus() const { return status_; }
  QAction* startAction() const { return start_; }
  QAction* stopAction() const { return stop_; }
  QTabWidget* tabs() const { return tabs_; }
  RunsView* runsView() const { return runs_; }
  RunDetailView* runDetail() const { return detail_; }
  CompareView* compareView() const { return compare_; }
  TrackerReader* store() const { return store_; }
  // Opens a recorded run in the Run tab / compares runs in the Compare tab.
  void openRun(qint64 id);
  void compareRuns(const QList<qint64>& ids);
  // Puts a recorded run's config into the editor (undoable).
  void cloneSettings(const QString& configJson);

  // Sweeps (main_window_sweep.cpp). "Sweep this field…": opens the sweep dialog with `key`, or
  // adds `key` to the one being set up; returns the dialog.
  SweepSetupDialog* sweepField(const QString& key);
  SweepSetupDialog* sweepDialog() const;
  // Starts the dialog's sweep over the editor's config; false (the dialog says why) when refused.
  bool startSweep();
  void stopSweep();
  bool resumeSweep(const QString& name);
  SweepController* sweepController() const { return sweeper_; }
  SweepView* sweepView() const { return sweeps_; }
  // The export dialog for these runs (modeless; returned for tests).
  ExportDialog* showExportDialog(const QList<qint64>& ids);
  // Exports with the last settings to a new file; the result goes to the log and status bar.
  void exportOneClick(const QList<qint64>& ids);
  ExportRunner* quickExport() const { return quickExport_; }
  QString lastRunDir() const { return lastRunDir_; }

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void updateRunActions();
  void chooseDataset();
  void chooseLabelMap();
  void chooseConfig();
  void saveConfig();
  void saveConfigAs();
  void reload();
  void showPreferences();
  void addRecentFile(const QString& path);
  void rebuildRecentMenu();
  void onEvents(const LiveEvents& events);
  void onRunFinished(const QString& status, const QString& error, const QString& runDir);
  void saveSession();
  void connectSweeps();
  void onSweepFinished(const QString& summary, const QString& error);
  void showSweepProgress();
  bool busy() const;  // a run or a sweep is training

  ExperimentEditor* editor_;
  DatasetPanel* panel_;
  LiveView* live_;
  LogView* log_;
  TrainingController* controller_;
  RunStatusWidget* status_;
  QTabWidget* tabs_;
  TrackerReader* store_;
  RunsView* runs_;
  RunDetailView* detail_;
  CompareView* compare_;
  ExportRunner* quickExport_;
  SweepController* sweeper_;
  SweepView* sweeps_;
  QPointer<SweepSetupDialog> sweepDialog_;
  QAction* export_ = nullptr;
  QAction *start_ = nullptr, *stop_ = nullptr, *openDataset_ = nullptr, *openConfig_ = nullptr,
          *saveConfig_ = nullptr, *saveConfigAs_ = nullptr, *preferences_ = nullptr, *undo_ = nullptr, *redo_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  QString configPath_;
  QString lastRunDir_;
  QString startBlockedReason_;
  bool closeWhenSettled_ = false;  // the window was closed during a run: close once it has ended
};

}  // namespace foldbench::ui
