#!/usr/bin/env bash
# runs delete --with-files on runs that never wrote a summary.json, as CLUSTER.md tells users to
# delete them: a cluster run prepared and never submitted goes at once; a submitted one is refused
# while its jobs may run, saying which jobs to cancel and how to settle it, and goes once settled;
# a crashed local run goes too. Such a folder is recognised as the run's by the config.json the
# tracker recorded for it, never by its name alone. sbatch and squeue are stand-ins.
# Usage: delete_unfinished_runs.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'kill "${train_pid:-}" 2> /dev/null || true; rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
status_of() { "$cli" runs list --db main.db --format csv | awk -F, -v id="$1" '$2 == id {print $4}'; }

# Prepared for the cluster, never submitted: no task can write its folder, so it can be deleted.
"$cli" cluster slurm --preset sample --epochs 1 --db main.db > prepared.log 2>&1 || { cat prepared.log; fail "cluster slurm"; }
id="$(sed -n 's/^run_id=//p' prepared.log)"
dir="$(sed -n 's/^run_dir=//p' prepared.log)"
[ "$(status_of "$id")" = queued ] || fail "the prepared run is not queued"
"$cli" runs delete "$id" --with-files --db main.db > unsubmitted.log 2>&1 || { cat unsubmitted.log; fail "a never submitted run was not deleted"; }
grep -q "deleted run $id (prepared for the cluster, never submitted) and its files" unsubmitted.log || { cat unsubmitted.log; fail "what was deleted"; }
[ ! -e "$dir" ] || fail "its folder is still there"
[ -z "$(status_of "$id")" ] || fail "its record is still there"

# Submitted (stand-in sbatch numbers the jobs; squeue lists none): refused while its jobs may run.
mkdir bin
cat > bin/sbatch <<'SCRIPT'
#!/bin/sh
n=$(cat "$(dirname "$0")/next" 2> /dev/null || echo 101)
echo $((n + 1)) > "$(dirname "$0")/next"
echo "$n"
SCRIPT
printf '#!/bin/sh\nexit 0\n' > bin/squeue
chmod +x bin/sbatch bin/squeue
PATH="$scratch/bin:$PATH" "$cli" cluster slurm --preset sample --epochs 1 --db main.db --submit > submitted.log 2>&1 \
  || { cat submitted.log; fail "cluster slurm --submit"; }
id="$(sed -n 's/^run_id=//p' submitted.log)"
dir="$(sed -n 's/^run_dir=//p' submitted.log)"
[ "$(cat "$dir/slurm/jobs")" = "101 102" ] || fail "submit.sh recorded jobs '$(cat "$dir/slurm/jobs")'"
"$cli" runs delete "$id" --with-files --db main.db > queued.log 2>&1 && fail "a submitted queued run was deleted"
grep -q "is queued on the cluster (Slurm jobs 101 102): its tasks may still write its folder" queued.log \
  || { cat queued.log; fail "the refusal does not say why"; }
grep -q "scancel 101 102) and settle it with: foldbench-cli cluster status --run $dir; then delete it" queued.log \
  || { cat queued.log; fail "the refusal does not say what to do"; }
[ -d "$dir" ] && [ "$(status_of "$id")" = queued ] || fail "the refused delete changed something"
# Its jobs gone (the stand-in squeue lists none), cluster status settles it; squeue may miss a job in
# its first seconds, so settling waits 20 s after the submission: the tracker says it was a minute ago.
python3 - main.db "$id" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE runs SET created_at = created_at - 60, heartbeat_at = heartbeat_at - 60 WHERE uid = ?", (sys.argv[2],))
db.commit()
PY
PATH="$scratch/bin:$PATH" "$cli" cluster status --run "$dir" --db main.db > status.log || { cat status.log; fail "cluster status"; }
[ "$(status_of "$id")" = failed ] || { cat status.log; fail "cluster status did not settle the run"; }
[ ! -e "$dir/summary.json" ] || fail "the settled run has a summary"
"$cli" runs delete "$id" --with-files --db main.db > settled.log 2>&1 || { cat settled.log; fail "the settled run was not deleted"; }
grep -q "deleted run $id and its files" settled.log || { cat settled.log; fail "what was deleted"; }
[ ! -e "$dir" ] || fail "the settled run's folder is still there"

# A local run killed while training leaves no summary.json: crashed, and deleted with its files.
"$cli" train --preset sample --db main.db > train.log 2>&1 &
train_pid=$!
for _ in $(seq 600); do
  compgen -G "runs/*/fold-0" > /dev/null && break
  sleep 0.1
done
kill -9 "$train_pid"
wait "$train_pid" 2> /dev/null || true
dir="$(ls -d "$scratch"/runs/*)"
id="$(basename "$dir")"
[ ! -e "$dir/summary.json" ] || fail "the killed run wrote its summary"
[ "$(status_of "$id")" = crashed ] || fail "the killed run is $(status_of "$id"), not crashed"
# A folder named after the run whose config.json is not the run's is not known to be its own.
mv "$dir/config.json" config.json.saved
"$cli" config init --preset klue-re-scratch > "$dir/config.json"
"$cli" runs delete "$id" --with-files --db main.db > foreign.log 2>&1 && fail "a folder with another config.json was deleted"
grep -q "holds neither its summary.json nor the config.json recorded for it" foreign.log || { cat foreign.log; fail "the refusal"; }
[ -d "$dir/fold-0" ] || fail "the refused delete removed files"
mv config.json.saved "$dir/config.json"
"$cli" runs delete "$id" --with-files --db main.db > crashed.log 2>&1 || { cat crashed.log; fail "the crashed run was not deleted"; }
[ ! -e "$dir" ] || fail "the crashed run's folder is still there"
echo "unfinished runs delete"
