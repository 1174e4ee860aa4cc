#include "help_text.h"

#include <cstring>
#include <vector>

namespace foldbench::cli {

namespace {

struct CommandHelp {
  std::vector<std::string> names;  // the commands this entry documents ("cluster fold", "cluster merge")
  const char* synopsis;            // lines after "foldbench-cli ", continuation lines indented
  const char* description;         // lines indented by six spaces
};

// The runs commands share one tracker; said once in the full usage and in each runs command's help.
const char* kRunsTracker =
    "      The run tracker (all runs commands take --db PATH; default: experiments.db in the working\n"
    "      directory when it has one, else $XDG_DATA_HOME/foldbench/experiments.db). ID is the run's\n"
    "      number (column 'id') or its uid (column 'run').\n";

const std::vector<CommandHelp>& commands() {
  static const std::vector<CommandHelp> all = {
      {{"data check"},
       "data check FILE [--labels FILE] [--data-format auto|tsv|json|csv] [--skip-bad]\n"
       "                [--tokenizer MODEL] [--max-len N] [--input-format pair|markers|typed|punct]\n"
       "                [--format table|json]\n",
       "      Reads a dataset, repairs entity offsets, prints rows, label histogram, repairs,\n"
       "      problems and length statistics. Exit 0 when usable. --data-format is the file's format\n"
       "      (as data.format; auto: by extension), --input-format the entity input format (as\n"
       "      input.format), --format the report's (json: one object with the same figures).\n"},
      {{"data split"},
       "data split FILE --out DIR [--labels FILE] [--data-format auto|tsv|json|csv] [--ratio R]\n"
       "           [--seed N] [--force]\n",
       "      Holds out a stratified share of the rows (default 0.1, seed 42; the same rows on every\n"
       "      machine): DIR/train.tsv to train on, DIR/holdout.tsv to judge the trained ensemble with.\n"},
      {{"data sample"},
       "data sample --out DIR [--force] [--seed N]\n",
       "      Writes the synthetic Korean sample dataset (train.tsv, test.tsv, labels.tsv).\n"},
      {{"config init"},
       "config init [--preset sample|klue-re-scratch|klue-re-best|klue-re-mbert|klue-re-roberta-large]\n"
       "            [--set FIELD=VALUE]... [--docs]\n",
       "      Prints a full experiment config (with field documentation when --docs). --set gives a\n"
       "      field a value, FIELD as the config spells it (repeatable; a relative path is made\n"
       "      absolute): the klue presets leave the data to you, e.g. --set data.train_path=train.tsv\n"
       "      --set data.test_path=test.tsv --set data.labels_path=labels.tsv; the pretrained ones also\n"
       "      the model folder, --set model.pretrained_path=DIR.\n"},
      {{"config docs"},
       "config docs\n",
       "      Prints the reference of every config field as Markdown (docs/CONFIG.md).\n"},
      {{"train"},
       "train [--config FILE | --preset NAME] [--train FILE] [--labels FILE] [--fold K] [--out DIR]\n"
       "      [--name NAME] [--epochs N] [--threads N] [--db PATH] [--tag T,T] [--note TEXT]\n"
       "      [--experiment NAME] [--no-track]\n",
       "      Trains the folds, writes checkpoints, summary.json and oof.tsv; prints run_id=<id> last.\n"
       "      Runs go to --out DIR (relative to the working directory), else to the config's\n"
       "      run.output_dir, which when relative is relative to the tracker database's folder.\n"},
      {{"cluster slurm"},
       "cluster slurm [--config FILE | --preset NAME] [train's data and tracking options]\n"
       "              [--cpus N] [--gpus N] [--mem SIZE] [--partition P] [--time T] [--submit]\n",
       "      Prepares the run here (data check, tokenizer), records it queued and writes a Slurm job\n"
       "      array (one task per fold) and a merge job into <run>/slurm; --submit runs its submit.sh.\n"},
      {{"cluster fold", "cluster merge", "cluster queue"},
       "cluster fold --run DIR [--fold K] [--db PATH] | cluster merge --run DIR [--db PATH]\n"
       "cluster queue --run DIR [--db PATH]\n",
       "      What the jobs run: one fold (K from SLURM_ARRAY_TASK_ID), recorded in <run>/fold-K.db and\n"
       "      written only into the run folder; the merge into summary.json, oof.tsv and the tracker;\n"
       "      queue marks the run queued again.\n"},
      {{"cluster status"},
       "cluster status --run DIR [--db PATH]\n",
       "      Each fold task's state, the run's jobs in Slurm's queue (squeue) and its tracker status;\n"
       "      a run none of whose jobs is queued any more while its merge never ran is marked failed.\n"},
      {{"predict"},
       "predict --run ID --test FILE --out FILE [--data-format auto|tsv|json|csv] [--force] [--db PATH]\n",
       "      Class probabilities for every test row, averaged over the run's fold checkpoints. ID is\n"
       "      the run's folder, or its number or uid in the tracker (--db), as for export and runs.\n"},
      {{"runs list"},
       "runs list [--filter EXPR] [--sort FIELD] [--limit N] [--columns F,F] [--format table|csv|json|ids]\n",
       "      The runs, newest first (--sort FIELD, '-FIELD' for descending). Filters: e.g.\n"
       "      'cv/val/acc/mean > 0.6 and status = finished and tag = baseline', 'params.model.family = ngram'.\n"
       "      Column 'size' shows each run's bytes on disk, 'params.KEY' a parameter. json is typed:\n"
       "      numbers are numbers, size an integer of bytes, tags an array. ids prints only the runs'\n"
       "      uids, one a line (the best: --format ids --sort -cv/val/acc/mean --limit 1).\n"},
      {{"runs show"},
       "runs show ID [--format table|json]\n",
       "      A run's folds, metrics, parameters (json), artifacts and notes.\n"},
      {{"runs compare"},
       "runs compare ID ID... [--all-params] [--format table|csv|json]\n",
       "      The runs side by side: the parameters that differ (all with --all-params), each fold's\n"
       "      validation accuracy, the out-of-fold scores and paired tests against the first run\n"
       "      (json: {runs, fields: [{field, values}], tests: [{run, t_test, mcnemar, bootstrap}]}).\n"},
      {{"runs export"},
       "runs export ID [--format csv|json] [--out FILE] [--force]\n",
       "      Every recorded series point of a run (series, step, epoch, value, time).\n"},
      {{"runs import"}, "runs import FILE\n", "      Copies the runs of another tracker database into this one.\n"},
      {{"runs delete"},
       "runs delete ID [--with-files]\n",
       "      Removes a run from the tracker; --with-files also deletes its run folder (without it, the\n"
       "      folder is kept and its path printed). A submitted cluster run still queued or running is\n"
       "      refused until its merge or 'cluster status' (after scancel) settles it.\n"},
      {{"runs tag"}, "runs tag ID TAG... [--remove]\n", "      Adds tags to a run, or removes them.\n"},
      {{"runs note"}, "runs note ID TEXT\n", "      Adds a note (quoted text) to a run.\n"},
      {{"runs rename"}, "runs rename ID NAME\n", "      Gives a run a new name (quoted), as the Runs tab's Rename does.\n"},
      {{"runs prune"},
       "runs prune [ID...] [--filter EXPR] [--keep-best N [--by FIELD]] [--dry-run]\n",
       "      Deletes the checkpoints of the selected runs (never a running run's, never outside its own\n"
       "      directory), keeping metrics, configs and out-of-fold predictions; --keep-best N spares the\n"
       "      first N in --by order (default -cv/val/acc/mean). A pruned run can no longer predict.\n"},
      {{"export"},
       "export --run ID[,ID...] --test FILE --out FILE [--vote soft|hard|weighted]\n"
       "       [--weights oof|val|greedy] [--prior] [--fit accuracy|micro_f1] [--format pstage|klue|generic]\n"
       "       [--probs FILE] [--db PATH] [--force] [--no-cache]\n",
       "      Checks the ensemble on out-of-fold predictions (in sample and cross-fitted), then writes a\n"
       "      submission file. Test predictions are cached per run and test file. A test file whose\n"
       "      rows are all labelled (a holdout from data split) is scored too. --weights greedy selects\n"
       "      runs with replacement on out-of-fold rows (Caruana et al. 2004) and weights each by how\n"
       "      often it was selected.\n"},
      {{"sweep create"},
       "sweep create NAME [--config FILE | --preset NAME] [--train FILE] [--labels FILE] [--epochs N]\n"
       "             --param FIELD[=RANGE]... [--trials N] [--time DURATION] [--sampler tpe|quasi|random]\n"
       "             [--startup N] [--seed N] [--race t-test|wilcoxon|none] [--alpha A] [--min-folds N]\n",
       "      A hyperparameter sweep over the config's fields, stored in the tracker. --param FIELD\n"
       "      sweeps the field's declared range or choices; FIELD=LOW..HIGH, FIELD=log:LOW..HIGH or\n"
       "      FIELD=A,B,C narrow it. Every trial keeps the base config's folds (the same rows in each),\n"
       "      trains them in its own order, and from the second fold on is compared with the best\n"
       "      finished trial on the folds both trained: one-sided p below --alpha (default 0.1) prunes\n"
       "      it. Budget: --trials (default 20) and/or --time (90m, 2h). TPE starts after --startup\n"
       "      quasi-random trials (default 8).\n"},
      {{"sweep run"},
       "sweep run NAME [--workers N] [--threads N]\n"
       "sweep run NAME --slurm N [--cpus N] [--gpus N] [--mem SIZE] [--partition P] [--time T] [--submit]\n",
       "      Runs trials until the budget is spent; --workers N trains N trials at once (processes;\n"
       "      each gets its share of the cores). Ctrl+C puts the trial in hand back to pending, and\n"
       "      running again resumes: no trial is lost and none is run twice. --slurm N writes a job\n"
       "      array of N workers (<tracker folder>/sweeps/NAME/workers.sbatch; --submit submits it)\n"
       "      that claim trials from the same tracker file, which every node must see.\n"},
      {{"sweep status", "sweep list"},
       "sweep status NAME [--format table|json] | sweep list\n",
       "      The trials: status (running, finished, pruned, pending, failed), parameters, folds done,\n"
       "      mean ± std of validation accuracy, why pruned; the fold trainings spent against a sweep\n"
       "      without racing, and the best trial (*). list: every sweep with its best.\n"},
      {{"sweep best"},
       "sweep best NAME [--config-out FILE] [--force]\n",
       "      The best finished trial, its run and parameters; --config-out writes its config.\n"},
      {{"sweep ensemble"},
       "sweep ensemble NAME --test FILE --out FILE [--top N] [--format pstage|klue|generic]\n"
       "               [--probs FILE] [--force]\n",
       "      Greedy forward selection with replacement (Caruana et al. 2004) over the out-of-fold\n"
       "      predictions of the N best finished trials (default 10), fitted inside the cross-fitting\n"
       "      so the estimate it prints never saw the rows it scores; then the submission, as export.\n"},
      {{"model inspect"},
       "model inspect DIR [--format table|json]\n",
       "      What a pretrained Hugging Face model folder holds, checked as training would load it:\n"
       "      model type and sizes, parameter count, weights and their dtypes, vocabulary, tokenizer,\n"
       "      and the stored tensors that are not loaded (pre-training heads). Exit 1 when the\n"
       "      tokenizer's ids do not fit the model's vocabulary.\n"},
      {{"model embed"},
       "model embed DIR --input FILE --out FILE [--ids] [--threads N] [--batch-size N] [--force]\n",
       "      For each line of FILE (UTF-8, one text a line): with --ids the token ids with the special\n"
       "      tokens, else the final hidden state of the first token ([CLS] or <s>), tab-separated with\n"
       "      9 significant digits. Texts longer than the model takes are truncated (said on stderr).\n"
       "      Compare an import with Python's (docs/GUIDE.md, \"Using a pretrained model\").\n"},
      {{"version", "doctor"},
       "version | doctor\n",
       "      The version, git revision, LibTorch and its device, and the BLAS in use (warns when it is\n"
       "      not OpenBLAS); doctor also measures sgemm and checks it against float64.\n"},
  };
  return all;
}

bool isRunsCommand(const CommandHelp& c) { return c.names.front().rfind("runs ", 0) == 0; }

// "  SYNOPSIS\n" with continuation lines kept as written, then the description.
std::string entryText(const CommandHelp& c, const std::string& prefix) {
  std::string out;
  const std::string synopsis = c.synopsis;
  std::size_t start = 0;
  while (start < synopsis.size()) {
    const auto end = synopsis.find('\n', start);
    const std::string line = synopsis.substr(start, end - start);
    const bool continuation = line.rfind(' ', 0) == 0;
    out += (continuation ? std::string(prefix.size(), ' ') : prefix) + line + "\n";
    start = end + 1;
  }
  return out + c.description;
}

const CommandHelp* find(const std::string& name) {
  for (const auto& c : commands())
    for (const auto& n : c.names)
      if (n == name) return &c;
  return nullptr;
}

}  // namespace

bool isCommandGroup(const std::string& word) {
  return word == "data" || word == "config" || word == "cluster" || word == "runs" || word == "model" || word == "sweep";
}

std::string fullUsage() {
  std::string out = "usage: foldbench-cli <command> [options]\n\n";
  bool lastWasRuns = false;
  for (const auto& c : commands()) {
    if (lastWasRuns && !isRunsCommand(c)) out += kRunsTracker;
    out += entryText(c, "  ");
    lastWasRuns = isRunsCommand(c);
  }
  return out + "\nEach command's own help: foldbench-cli <command> --help (e.g. foldbench-cli runs list --help).\n";
}

std::string helpTopic(int argc, char** argv) {
  if (argc < 2) return "";
  const std::string first = argv[1];
  if (isCommandGroup(first)) {
    if (argc > 2 && find(first + " " + argv[2])) return first + " " + argv[2];
    return first;
  }
  return find(first) ? first : "";
}

std::string topicHelp(const std::string& topic) {
  if (const auto* c = find(topic)) {
    std::string out = entryText(*c, "usage: foldbench-cli ");
    if (isRunsCommand(*c)) out += kRunsTracker;
    return out;
  }
  if (isCommandGroup(topic)) {
    std::string out = "usage: foldbench-cli " + topic + " <command> [options]\n\n";
    for (const auto& c : commands())
      if (c.names.front().rfind(topic + " ", 0) == 0) out += entryText(c, "  ");
    if (topic == "runs") out += kRunsTracker;
    return out + "\nA command's own help: foldbench-cli " + topic + " <command> --help\n";
  }
  return fullUsage();
}

std::string seeHelpLine(const std::string& topic) {
  return "see 'foldbench-cli " + (topic.empty() ? std::string() : topic + " ") + "--help'\n";
}

}  // namespace foldbench::cli
