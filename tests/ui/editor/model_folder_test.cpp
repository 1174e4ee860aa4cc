// The model-folder picker of model.pretrained_path: before Start it shows what the folder holds
// (the facts of `foldbench-cli model inspect`) and a time-per-epoch estimate, or in red why the
// folder cannot be used, read off the GUI thread.
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "shared/config_form.h"
#include "editor/experiment_editor.h"
#include "shared/field_editor.h"
#include "editor/model_folder_view.h"
#include "main_window.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
namespace fs = std::filesystem;

namespace {
const QString kModels = QStringLiteral(FOLDBENCH_SOURCE_DIR "/tests/fixtures/pretrained/models/");
const QString kSample = QStringLiteral(FOLDBENCH_SOURCE_DIR "/resources/sample/");

// Types the folder into the field and presses Enter, as a user does (the "…" button opens a
// native dialog, which ends the same way: the field's text, then valueEdited).
void typeFolder(ui::ExperimentEditor* editor, const QString& folder) {
  auto* edit = qobject_cast<QLineEdit*>(editor->form()->editor("model.pretrained_path")->input());
  QVERIFY(edit);
  edit->clear();
  QTest::keyClicks(edit, folder);
  QTest::keyClick(edit, Qt::Key_Return);
}

void prepareMbert(ui::MainWindow& window) {
  window.setResourceDirs(kSample, FOLDBENCH_SOURCE_DIR);
  window.editor()->applyPreset("klue-re-mbert");
  window.editor()->setFieldValues({{"data.train_path", (kSample + "train.tsv").toStdString()},
                                   {"data.labels_path", (kSample + "labels.tsv").toStdString()},
                                   {"train.threads", std::int64_t{2}}});
}
}  // namespace

class ModelFolderTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void aFixtureFolderShowsItsFactsAndAnEstimate() {
    ui::MainWindow window;
    prepareMbert(window);
    window.resize(1200, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* editor = window.editor();
    auto* view = editor->modelFolderView();
    QVERIFY(editor->form()->isFieldShown("model.pretrained_path"));
    QVERIFY(view->isVisible());
    QVERIFY2(view->factsText().contains("No model folder chosen"), qPrintable(view->factsText()));
    QVERIFY(!window.startAction()->isEnabled());  // not set yet

    QSignalSpy checked(editor->modelFolderCheck(), &ui::ModelFolderCheck::checked);
    typeFolder(editor, kModels + "bert-wordpiece");
    QCOMPARE(editor->config().model.pretrainedPath, (kModels + "bert-wordpiece").toStdString());
    // Read off the GUI thread: the form says so while it reads.
    QVERIFY2(view->factsText().startsWith("Reading bert-wordpiece"), qPrintable(view->factsText()));
    QVERIFY(checked.wait(20000));
    const QString facts = view->factsText();
    QVERIFY2(facts.contains("model  bert, 2 layers x 32 hidden, 4 heads, feed-forward 64"), qPrintable(facts));
    for (const char* label : {"parameters ", "weights  model.safetensors: 1 file, F32", "vocabulary  400 ids in the model",
                              "tokenizer  WordPiece", "max tokens  48 per text", "ignored "})
      QVERIFY2(facts.contains(label), qPrintable(label + QStringLiteral(" in ") + facts));
    QVERIFY(!facts.contains(kModels));  // file names, not the whole path again
    QVERIFY(!view->showsError());
    // The estimate needs the data's rows; the data check runs alongside.
    // (A 2-layer, 32-wide model on 240 rows per fold: under a second.)
    QTRY_VERIFY_WITH_TIMEOUT(view->estimateText().contains("per epoch on this CPU (2 threads)"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(window.startAction()->isEnabled(), 20000);

    // Another model type; an ELECTRA folder says its embedding width.
    typeFolder(editor, kModels + "electra-wordpiece");
    QVERIFY(checked.wait(20000));
    QVERIFY2(view->factsText().contains("model  electra"), qPrintable(view->factsText()));
    QVERIFY2(view->factsText().contains("embeddings "), qPrintable(view->factsText()));

    // Another family hides the field and what it found.
    editor->setFieldValue("model.family", std::string("ngram"));
    QVERIFY(!editor->form()->isFieldShown("model.pretrained_path"));
    QVERIFY(!view->isVisible());
    editor->undoStack()->undo();
    QVERIFY(view->isVisible());
  }

  void theEstimateFollowsTheConfig() {
    // The numbers are checked by hand in tests/core/pretrained/training_estimate_test.cpp; here, what
    // the window feeds the core function: rows per fold, and tokens from max_len and the padding.
    ui::ModelFolderSnapshot model = ui::loadModelFolderSnapshot((kModels + "bert-wordpiece").toStdString());
    QVERIFY(model.usable);
    model.sgemmGflops = 50;
    auto c = config::preset("klue-re-mbert");
    c.train.threads = 1;
    const auto tip = [&](const config::ExperimentConfig& config) { return ui::describeEpochEstimate(model, config, 1000).toolTip; };
    const auto base = ui::describeEpochEstimate(model, c, 1000);
    QVERIFY2(base.text.contains(" per epoch on this CPU ("), qPrintable(base.text));
    QVERIFY2(base.toolTip.contains("800 training rows per fold"), qPrintable(base.toolTip));  // 5 folds: 4/5 of 1000
    QVERIFY2(base.toolTip.contains("~24 tokens"), qPrintable(base.toolTip));  // half of max_len, 128 capped at 48
    c.train.padding = config::Padding::Fixed;
    QVERIFY2(tip(c).contains("~48 tokens"), qPrintable(tip(c)));
    QVERIFY(ui::describeEpochEstimate(model, c, 0).text.contains("training file"));
    QCOMPARE(ui::roughDuration(0.2), QStringLiteral("under a second"));
    QCOMPARE(ui::roughDuration(40), QStringLiteral("40 s"));
    QCOMPARE(ui::roughDuration(35 * 60), QStringLiteral("35 min"));
    QCOMPARE(ui::roughDuration(8.5 * 3600), QStringLiteral("8.5 h"));
  }

  void aBrokenFolderShowsTheErrorNamingTheTensor() {
    testing::TempDir dir;
    const fs::path broken = fs::path(dir.path()) / "bert-broken";
    fs::copy(fs::path((kModels + "bert-wordpiece").toStdString()), broken);
    {
      std::ifstream in(broken / "config.json");
      std::stringstream text;
      text << in.rdbuf();
      std::string json = text.str();
      const auto at = json.find("\"intermediate_size\": 64");
      QVERIFY(at != std::string::npos);
      json.replace(at, 23, "\"intermediate_size\": 72");
      std::ofstream(broken / "config.json") << json;
    }
    ui::MainWindow window;
    prepareMbert(window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* editor = window.editor();
    QSignalSpy checked(editor->modelFolderCheck(), &ui::ModelFolderCheck::checked);
    typeFolder(editor, QString::fromStdString(broken.string()));
    QVERIFY(checked.wait(20000));
    auto* view = editor->modelFolderView();
    QVERIFY(view->showsError());
    const QString text = view->factsText();
    QVERIFY2(text.startsWith("Not a usable model folder:"), qPrintable(text));
    QVERIFY2(text.contains("encoder.layer.0.intermediate.dense."), qPrintable(text));  // the tensor, by name
    QVERIFY2(text.contains("72"), qPrintable(text));
    QVERIFY(view->estimateText().isEmpty());
    // The field is marked and Start says why.
    const QString problem = editor->form()->editor("model.pretrained_path")->problem();
    QVERIFY2(problem.contains("not a usable model folder"), qPrintable(problem));
    QVERIFY(!window.startAction()->isEnabled());
    QVERIFY2(window.startAction()->toolTip().contains("model.pretrained_path"), qPrintable(window.startAction()->toolTip()));
    // Fixed again: usable.
    typeFolder(editor, kModels + "bert-wordpiece");
    QVERIFY(checked.wait(20000));
    QVERIFY(!view->showsError());
    QTRY_VERIFY_WITH_TIMEOUT(window.startAction()->isEnabled(), 20000);
  }
};

QTEST_MAIN(ModelFolderTest)
#include "model_folder_test.moc"
