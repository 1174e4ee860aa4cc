#pragma once
// Every QSettings key of the workbench, with its default, declared once.
#include <QSettings>
#include <QString>
#include <QVariant>

#include "foldbench/tracker/run_store.h"

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
inline const SettingKey kDatabasePath{"tracker/database", QString::fromLatin1(tracker::kDefaultDatabase)};
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
}  // namespace settings

}  // namespace foldbench::ui
