// The generated experiment form, in a real (offscreen) window.
#include <QAbstractButton>
#include <QComboBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTest>

#include "shared/config_form.h"
#include "editor/experiment_editor.h"
#include "shared/field_editor.h"
#include "foldbench/config/field_spec.h"
#include "main_window.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using foldbench::ui::ConfigForm;

class ConfigFormTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void everyDeclaredFieldHasAnEditor() {
    ConfigForm form;
    const auto& specs = config::fieldSpecs();
    QCOMPARE(form.keys().size(), static_cast<int>(specs.size()));
    for (const auto& spec : specs) {
      const QString key = QString::fromStdString(spec.key());
      auto* editor = form.editor(key);
      QVERIFY2(editor, qPrintable(key));
      QVERIFY2(editor->input()->toolTip().contains(QString::fromStdString(spec.doc).toHtmlEscaped()), qPrintable(key));
      QVERIFY(!editor->input()->whatsThis().isEmpty());
      if (spec.type == config::FieldType::Choice) {
        auto* combo = qobject_cast<QComboBox*>(editor->input());
        QVERIFY2(combo, qPrintable(key));
        QCOMPARE(combo->count(), static_cast<int>(spec.choices.size()));
      }
      if (auto* spin = qobject_cast<QSpinBox*>(editor->input())) {
        QCOMPARE(spin->minimum(), static_cast<int>(spec.min));
        QCOMPARE(spin->maximum(), static_cast<int>(spec.max));
      }
    }
  }

  void formRoundTripsEveryFieldOfEveryPreset() {
    ConfigForm form;
    for (const auto& name : config::presetNames()) {
      const auto preset = config::preset(name);
      form.setConfig(preset);
      config::ExperimentConfig back;  // defaults, overwritten field by field from the editors
      for (const auto& spec : config::fieldSpecs()) spec.set(back, form.editor(QString::fromStdString(spec.key()))->value());
      QCOMPARE(QString::fromStdString(config::toJson(back)), QString::fromStdString(config::toJson(preset)));
    }
  }

  void aFieldAddedToTheDeclarationAppearsAndEdits() {
    // A new field in a new section, declared the way core declares its fields.
    auto specs = config::fieldSpecs();
    specs.push_back(config::field("extra", "knob_ratio", &config::ExperimentConfig::train, &config::TrainConfig::stepGamma)
                        .bounds(0, 1).stepBy(0.1).describe("a test-only knob"));
    ConfigForm form(specs);
    QVERIFY(form.section("extra"));
    auto* editor = form.editor("extra.knob_ratio");
    QVERIFY(editor);
    QVERIFY(qobject_cast<QDoubleSpinBox*>(editor->input()));
    QVERIFY(editor->input()->toolTip().contains("a test-only knob"));
    QString editedKey;
    config::FieldValue editedValue;
    connect(&form, &ConfigForm::fieldEdited, this, [&](const QString& k, const config::FieldValue& v) {
      editedKey = k;
      editedValue = v;
    });
    static_cast<QDoubleSpinBox*>(editor->input())->setValue(0.3);
    QCOMPARE(editedKey, QStringLiteral("extra.knob_ratio"));
    QCOMPARE(std::get<double>(editedValue), 0.3);
  }

  void fieldsThatDoNotApplyAreHidden() {
    ConfigForm form;
    auto c = config::preset("sample");
    form.setConfig(c);
    QVERIFY(form.isFieldShown("model.layers"));
    QVERIFY(!form.isFieldShown("model.ngram_dim"));
    QVERIFY(!form.editor("model.ngram_dim")->isVisibleTo(&form));
    c.model.family = config::ModelFamily::Ngram;
    form.setConfig(c);
    QVERIFY(!form.isFieldShown("model.layers"));
    QVERIFY(form.isFieldShown("model.ngram_dim"));
  }

  void invalidInputDisablesStartWithTheReason() {
    ui::MainWindow window;
    window.setResourceDirs(FOLDBENCH_SOURCE_DIR "/resources/sample", FOLDBENCH_SOURCE_DIR);
    window.editor()->applyPreset("sample");
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(window.startAction()->isEnabled(), qPrintable(window.editor()->problemsText()));
    // hidden 130 is not divisible by 4 heads: the form marks model.hidden, Start says why.
    auto* hidden = qobject_cast<QSpinBox*>(window.editor()->form()->editor("model.hidden")->input());
    hidden->setValue(130);
    QVERIFY(!window.startAction()->isEnabled());
    QVERIFY2(window.startAction()->toolTip().contains("model.hidden"), qPrintable(window.startAction()->toolTip()));
    QVERIFY(window.startAction()->toolTip().contains("not divisible"));
    QVERIFY(window.editor()->form()->editor("model.hidden")->input()->property("invalid").toBool());
    QVERIFY(!window.startRun());
    // A missing training file is a problem of data.train_path.
    hidden->setValue(128);
    QVERIFY(window.startAction()->isEnabled());
    auto* train = qobject_cast<QLineEdit*>(window.editor()->form()->editor("data.train_path")->input());
    train->setText("/no/such/train.tsv");
    emit train->editingFinished();
    QVERIFY(!window.startAction()->isEnabled());
    QVERIFY(window.startAction()->toolTip().contains("data.train_path: no such file"));
  }

  void aCompetitionPresetAsksForItsDataNamingTheField() {
    // The klue presets leave the data paths empty (the competition's files are the user's):
    // the fields show empty and Start says which field to set.
    ui::MainWindow window;
    window.setResourceDirs(FOLDBENCH_SOURCE_DIR "/resources/sample", FOLDBENCH_SOURCE_DIR);
    window.editor()->applyPreset("klue-re-best");
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (const char* key : {"data.train_path", "data.test_path", "data.labels_path"}) {
      auto* field = qobject_cast<QLineEdit*>(window.editor()->form()->editor(key)->input());
      QVERIFY2(field && field->text().isEmpty(), key);
    }
    QVERIFY(!window.startAction()->isEnabled());
    QVERIFY2(window.startAction()->toolTip().contains("data.train_path: not set: put the path of your training file"),
             qPrintable(window.startAction()->toolTip()));
    QVERIFY(window.editor()->datasetSummaryText().contains("No training file chosen"));
    QVERIFY(!window.startRun());
    // Given the training file, it is ready.
    window.editor()->setFieldValue("data.train_path", std::string(FOLDBENCH_SOURCE_DIR "/resources/sample/train.tsv"));
    QTRY_VERIFY_WITH_TIMEOUT(window.startAction()->isEnabled(), 20000);
  }

  void undoRedoAndDiffFromPreset() {
    ui::ExperimentEditor editor;
    editor.setResourceDirs(FOLDBENCH_SOURCE_DIR "/resources/sample", FOLDBENCH_SOURCE_DIR);
    editor.applyPreset("sample");
    auto* form = editor.form();
    QVERIFY(!form->differsFromBaseline("train.epochs"));
    auto* epochs = qobject_cast<QSpinBox*>(form->editor("train.epochs")->input());
    epochs->setValue(4);
    epochs->setValue(5);  // merges with the previous edit of the same field
    QCOMPARE(editor.config().train.epochs, 5);
    QVERIFY(form->differsFromBaseline("train.epochs"));
    editor.undoStack()->undo();
    QCOMPARE(editor.config().train.epochs, 15);
    QCOMPARE(epochs->value(), 15);
    QVERIFY(!form->differsFromBaseline("train.epochs"));
    editor.undoStack()->redo();
    QCOMPARE(epochs->value(), 5);
    // Reset to the preset's value through the row's button.
    auto* reset = form->findChild<QAbstractButton*>("reset:train.epochs");
    QVERIFY(reset && reset->isVisibleTo(form));
    reset->click();
    QCOMPARE(editor.config().train.epochs, 15);
  }

  void saveAndLoadConfigFiles() {
    testing::TempDir dir;
    ui::ExperimentEditor editor;
    editor.applyPreset("klue-re-scratch");
    QVERIFY(editor.setFieldValue("train.lr", 0.003));
    QString error;
    const QString path = QString::fromStdString(dir.file("c.json"));
    QVERIFY2(editor.saveFile(path, &error), qPrintable(error));
    ui::ExperimentEditor other;
    QVERIFY2(other.loadFile(path, &error), qPrintable(error));
    QCOMPARE(other.config().train.learningRate, 0.003);
    QVERIFY(other.config().model.family == config::ModelFamily::Ngram);
    dir.write("bad.json", R"({"train": {"epochs": 0}})");
    QVERIFY(!other.loadFile(QString::fromStdString(dir.file("bad.json")), &error));
    QVERIFY2(error.contains("train.epochs: must be within 1..1000"), qPrintable(error));
    QCOMPARE(other.config().train.learningRate, 0.003);  // a bad file changes nothing
  }

  void datasetCheckRunsWhenTheTrainingFileChanges() {
    ui::ExperimentEditor editor;
    editor.setResourceDirs(FOLDBENCH_SOURCE_DIR "/resources/sample", FOLDBENCH_SOURCE_DIR);
    editor.applyPreset("sample");
    QTRY_VERIFY_WITH_TIMEOUT(editor.datasetSummaryText().contains("480 rows"), 20000);
    testing::TempDir dir;
    const auto bad = dir.write("bad.tsv", "a\tsentence\tx\tone\t0\ty\t1\t1\tlabel\n");
    editor.setFieldValue("data.train_path", bad);
    QTRY_VERIFY_WITH_TIMEOUT(editor.datasetSummaryText().contains("not usable"), 20000);
    QVERIFY(!editor.isValid());
    QVERIFY(editor.problemsText().contains("data.train_path: not usable"));
  }
};

QTEST_MAIN(ConfigFormTest)
#include "config_form_test.moc"
