#pragma once
// Every QSettings key of the workbench, with its default, declared once.
#include <QSettings>
#include <QString>
#include <QVariant>

#include "foldbench/platform/workspace.h"

namespace foldbench::ui {

struct SettingKey {
  const char* key;
  QVariant defaultValue;
  QVariant read() const { return QSettings().value(key, defaultValue); }
  void write(const QVariant& value) const { QSettings().setValue(key, value); }
};

namespace settings {
inline const SettingKey kGeometry{"window/geometry", {}};
inline const SettingKey kWindowState{"window/state", {}};  // docks and toolbars
inline const SettingKey kLastConfig{"editor/last_config_json", {}};
inline const SettingKey kLastPreset{"editor/last_preset", QStringLiteral("sample")};
inline const SettingKey kRecentFiles{"files/recent", QStringList()};
// Unset: the tracker the workspace rule names (platform/workspace.h); read through databasePath().
inline const SettingKey kDatabasePath{"tracker/database", {}};
inline const SettingKey kChartIntervalMs{"live/chart_interval_ms", 50};
// Read before the window starts (the kernel choice may restart the process): see main_gui.cpp.
inline const SettingKey kBlasAuto{"platform/blas_auto", true};
inline const SettingKey kExportVote{"export/vote", QStringLiteral("soft")};
inline const SettingKey kExportWeights{"export/weights", QStringLiteral("oof")};
inline const SettingKey kExportFitPrior{"export/fit_prior", false};
inline const SettingKey kExportFitMetric{"export/fit_metric", QStringLiteral("accuracy")};
inline const SettingKey kExportFormat{"export/format", QStringLiteral("pstage")};
inline const SettingKey kExportFolder{"export/folder", QStringLiteral("submissions")};
constexpr int kMaxRecentFiles = 8;

// The tracker the window uses: the one set in Preferences, else the workspace rule's.
inline QString databasePath() {
  const QString chosen = kDatabasePath.read().toString();
  return chosen.isEmpty() ? QString::fromStdString(platform::defaultDatabasePath()) : chosen;
}
}  // namespace settings

}  // namespace foldbench::ui
