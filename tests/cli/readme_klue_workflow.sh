#!/usr/bin/env bash
# The README's command-line block, read from README.md and run line by line as a new user would,
# in an empty folder holding the competition's train.tsv, test.tsv and labels.tsv (links to the
# shared data). Only what a user would do between the lines is added: after `config init`, the
# edit the README invites (2 folds, 1 epoch, small tables, so the test takes seconds); `train` runs twice, the
# second time after another edit (a new seed), so that <id> and <other id> name two runs. The
# cluster line runs with stand-in sbatch and squeue (nothing is queued). Skipped (77) without the
# competition data.
# Usage: readme_klue_workflow.sh FOLDBENCH_CLI README.md DATA_DIR
set -euo pipefail
cli="$1"
readme="$2"
data="$3"
for f in train.tsv test.tsv labels.tsv; do
  [ -f "$data/$f" ] || { echo "SKIP: $data/$f not present"; exit 77; }
done
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
mkdir work bin
# The program as the README calls it, its own tracker, and stand-ins for Slurm's commands.
ln -s "$cli" bin/foldbench-cli
cat > bin/sbatch <<'SCRIPT'
#!/bin/sh
n=$(cat "$(dirname "$0")/next" 2> /dev/null || echo 501)
echo $((n + 1)) > "$(dirname "$0")/next"
echo "$n"
SCRIPT
printf '#!/bin/sh\nexit 0\n' > bin/squeue
chmod +x bin/sbatch bin/squeue
export PATH="$scratch/bin:$PATH" XDG_DATA_HOME="$scratch/data-home"
for f in train.tsv test.tsv labels.tsv; do ln -s "$data/$f" "work/$f"; done

# The block under "## On the command line", continuation lines joined.
python3 - "$readme" > commands.txt <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("\n## On the command line\n", 1)[1]
block = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
print(block.replace("\\\n", " "))
PY
[ "$(grep -c '^foldbench-cli ' commands.txt)" -ge 6 ] || { cat commands.txt; fail "no command-line block in $readme"; }

edit() {  # python assignments to config["section"]["field"], as a user edits run.json
  python3 - run.json "$1" <<'PY'
import json, sys
path, edits = sys.argv[1], sys.argv[2]
config = json.load(open(path))
exec(edits, {"config": config})
json.dump(config, open(path, "w"), indent=2)
PY
}

cd work
ids=()
n=0
list_log=""
slurm_log=""
while IFS= read -r line; do
  [ -n "$line" ] || continue
  n=$((n + 1))
  command="${line//<other id>/${ids[1]:-}}"
  command="${command//<id>/${ids[0]:-}}"
  case "$command" in *"<"*">"*) fail "line $n names something this test cannot fill in: $line" ;; esac
  echo "README line $n: $command"
  case "$line" in
    *"cluster slurm"*) echo "  (sbatch and squeue are stand-ins here: nothing is queued)" ;;
  esac
  if [[ "$line" == "foldbench-cli train "* ]]; then
    for round in 1 2; do
      [ $round = 1 ] || edit 'config["train"]["seed"] = 78'
      start=$SECONDS
      bash -c "$command" > "../line-$n-$round.log" 2>&1 || { cat "../line-$n-$round.log"; fail "README line $n failed: $line"; }
      ids+=("$(sed -n 's/^run_id=//p' "../line-$n-$round.log")")
      echo "  trained run ${ids[-1]} in $((SECONDS - start)) s"
    done
    continue
  fi
  bash -c "$command" > "../line-$n.log" 2>&1 || { cat "../line-$n.log"; fail "README line $n failed: $line"; }
  case "$line" in
    "foldbench-cli runs list "*) list_log="../line-$n.log" ;;
    "foldbench-cli cluster slurm "*) slurm_log="../line-$n.log" ;;
  esac
  if [[ "$line" == "foldbench-cli config init "* ]]; then
    # Small: 2 folds, 1 epoch, n-gram tables of 2^14 x 32 instead of 2^18 x 128 (those alone
    # made a 2-fold, 1-epoch run of the preset take 70-80 s on 2 busy cores).
    edit 'config["kfold"]["folds"] = 2; config["train"]["epochs"] = 1
config["model"]["ngram_buckets_log2"] = 14; config["model"]["ngram_dim"] = 32'
    python3 -c 'import json,sys; d=json.load(open("run.json"))["data"]; assert all(d[k].startswith("/") for k in ("train_path","test_path","labels_path")), d' \
      || fail "config init --set did not set the data paths"
  fi
done < ../commands.txt
cd ..

[ "${#ids[@]}" = 2 ] && [ -n "${ids[0]}" ] && [ -n "${ids[1]}" ] || fail "the train line did not print run_id twice"
[ -n "${list_log:-}" ] || fail "the block has no runs list line"
for id in "${ids[@]}"; do grep -q "$id" "work/$list_log" || { cat "work/$list_log"; fail "runs list does not show run $id"; }; done
[ -f work/submission.csv ] || fail "no submission.csv"
python3 - work/submission.csv "$data/test.tsv" <<'PY' || fail "the submission is not one label id per test row"
import sys
rows = open(sys.argv[1]).read().splitlines()
tests = sum(1 for _ in open(sys.argv[2], encoding="utf-8"))
assert rows[0] == "pred", rows[0]
assert len(rows) == tests + 1, (len(rows), tests)
assert all(0 <= int(r) < 42 for r in rows[1:])
PY
if [ -n "${slurm_log:-}" ]; then
  grep -q "^folds_job=501$" "work/$slurm_log" || { cat "work/$slurm_log"; fail "the cluster line did not submit"; }
fi
echo "the README's klue workflow runs as written"
