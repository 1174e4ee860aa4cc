#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine: installs Debian's slurmctld, slurmd,
# slurm-client and munge when missing (as root), starts munged, slurmctld and slurmd with a
# generated slurm.conf in a scratch folder, submits the sample run as a job array with
# `foldbench-cli cluster slurm --submit`, waits for the merge job, and checks that the merged
# run equals a local run of the same config fold for fold. Stops every daemon it started.
# Exit 77 (skipped) when the daemons cannot be installed or started here, saying why.
# Usage: scripts/slurm-test.sh [FOLDBENCH_CLI]
set -euo pipefail
cli="$(realpath "${1:-$(dirname "$0")/../build/bin/foldbench-cli}")"
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

packages=(slurmctld slurmd slurm-client munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || skip "Slurm is not installed (${missing[*]}) and installing needs root"
  echo "installing ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    > /tmp/foldbench-slurm-apt.log 2>&1 || skip "apt-get could not install ${missing[*]} (see /tmp/foldbench-slurm-apt.log)"
fi
[ "$(id -u)" -eq 0 ] || skip "slurmd must run as root to start jobs for this user"

scratch="$(mktemp -d /tmp/foldbench-slurm.XXXXXX)"
chmod 755 "$scratch"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$scratch"
}
trap cleanup EXIT

# munge with its own key and socket, so a system munged (if any) is left alone.
mkdir -p "$scratch/munge"
chmod 700 "$scratch/munge"
mungekey -c -k "$scratch/munge/munge.key" > /dev/null 2>&1 || dd if=/dev/urandom of="$scratch/munge/munge.key" bs=1024 count=1 2> /dev/null
chmod 400 "$scratch/munge/munge.key"
munged --force --foreground --key-file="$scratch/munge/munge.key" --socket="$scratch/munge/munge.sock" \
  --pid-file="$scratch/munge/munged.pid" --log-file="$scratch/munge/munged.log" --seed-file="$scratch/munge/munged.seed" \
  > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$scratch/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$scratch/munge/munge.sock" ] || skip "munged did not start: $(tail -3 "$scratch/munge/munged.log" 2>/dev/null)"

# Free ports for this cluster only.
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ctld_port="$(port)"
slurmd_port="$(port)"
node="$(hostname -s)"
cpus="$(nproc)"
memory="$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)"
mkdir -p "$scratch/state" "$scratch/spool"
export SLURM_CONF="$scratch/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=foldbench-test
SlurmctldHost=$node
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$scratch/munge/munge.sock
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool/%n
SlurmctldPidFile=$scratch/slurmctld.pid
SlurmdPidFile=$scratch/slurmd.pid
SlurmctldLogFile=$scratch/slurmctld.log
SlurmdLogFile=$scratch/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=600
NodeName=$node CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i > "$scratch/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D > "$scratch/slurmd.out" 2>&1 &
pids+=($!)
ready=0
for _ in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then ready=1; break; fi
  sleep 0.2
done
if [ "$ready" != 1 ]; then
  echo "--- slurmctld"; tail -5 "$scratch/slurmctld.log" 2>/dev/null || tail -5 "$scratch/slurmctld.out"
  echo "--- slurmd"; tail -5 "$scratch/slurmd.log" 2>/dev/null || tail -5 "$scratch/slurmd.out"
  skip "the single-node cluster did not come up (node state: $(sinfo -h -o '%T' 2>&1 | head -1))"
fi
echo "cluster up: node $node, $cpus CPUs, slurmctld port $ctld_port"

work="$scratch/work"
mkdir -p "$work"
cd "$work"
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
epochs=3
"$cli" cluster slurm --preset sample --epochs "$epochs" --cpus 1 --time 10:00 --db "$work/experiments.db" \
  --tag slurm-test --submit > submit.log 2>&1 || { cat submit.log; fail "cluster slurm --submit"; }
id="$(sed -n 's/^run_id=//p' submit.log)"
run_dir="$(sed -n 's/^run_dir=//p' submit.log)"
merge_job="$(sed -n 's/^merge_job=//p' submit.log)"
[ -n "$merge_job" ] || { cat submit.log; fail "no merge job submitted"; }
echo "submitted run $id: $(grep -E '^(folds|merge)_job=' submit.log | tr '\n' ' ')"
status_of() { "$cli" runs list --db "$work/experiments.db" --format csv | awk -F, -v id="$1" '$2 == id {print $4}'; }
case "$(status_of "$id")" in queued|running) ;; *) fail "the submitted run is $(status_of "$id") in the tracker, not queued";; esac
seen_running=0
for _ in $(seq 600); do
  status="$(status_of "$id")"
  [ "$status" = running ] && seen_running=1
  case "$status" in finished|failed|stopped|crashed) break ;; esac
  sleep 0.5
done
echo "run status: $status (seen running: $seen_running)"
if [ "$status" != finished ]; then
  for f in "$run_dir"/slurm/*.log; do echo "--- $f"; tail -5 "$f"; done
  squeue 2>&1 | head
  fail "the cluster run ended $status"
fi
[ "$seen_running" = 1 ] || fail "the run was never seen running while its tasks ran"
for k in 0 1 2 3 4; do [ -f "$run_dir/slurm/fold-$k.log" ] || fail "no log of fold task $k"; done
grep -q "finished" "$run_dir/slurm/merge.log" || fail "merge log"

# The same config trained locally, in one process, gives the same folds.
"$cli" train --config "$run_dir/config.json" --db "$work/local.db" --out "$work/local" > local.log 2>&1 \
  || { tail -20 local.log; fail "local run"; }
local_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' local.log)"
python3 - "$run_dir/summary.json" "$local_dir/summary.json" <<'PY'
import json, sys
cluster, local = (json.load(open(p)) for p in sys.argv[1:3])
assert len(cluster["folds"]) == len(local["folds"]) == 5, "fold counts differ"
for c, l in zip(cluster["folds"], local["folds"]):
    for key in ("val_acc", "val_micro_f1", "val_loss", "train_acc"):
        if abs(c[key] - l[key]) > 1e-6:
            sys.exit(f"fold {c['fold']}: {key} {c[key]} on the cluster, {l[key]} locally")
    if c["best_epoch"] != l["best_epoch"]:
        sys.exit(f"fold {c['fold']}: best epoch {c['best_epoch']} vs {l['best_epoch']}")
for key in ("val_acc", "val_loss"):
    if abs(cluster["cv"][key]["mean"] - local["cv"][key]["mean"]) > 1e-6:
        sys.exit(f"cv {key} differs")
print("folds equal: val acc " + " ".join(f"{f['val_acc']:.4f}" for f in cluster["folds"]) +
      f"; mean {cluster['cv']['val_acc']['mean']:.4f}, val loss mean {cluster['cv']['val_loss']['mean']:.6f}")
PY
cmp <(cut -f1-3 "$run_dir/oof.tsv") <(cut -f1-3 "$local_dir/oof.tsv") || fail "oof.tsv rows differ"
# The merged run is a whole run in the main tracker: curves of every fold, artifacts, predictable.
"$cli" runs show "$id" --db "$work/experiments.db" > show.txt
grep -q "45 series" show.txt || { cat show.txt; fail "the merged run lacks its fold series"; }
grep -q "host slurm job" show.txt || fail "the run does not name its job"

# A fold that fails marks the run failed with that fold's error; fixing the cause and running
# submit.sh again trains only that fold and finishes the run.
# The run's status once its merge job has left the queue.
wait_for_end() {
  for _ in $(seq 600); do
    [ -z "$(squeue -h -o %i -n "foldbench-$1,foldbench-$1-merge")" ] && break
    sleep 0.5
  done
  status="$(status_of "$1")"
}
"$cli" cluster slurm --preset sample --epochs 1 --cpus 1 --db "$work/experiments.db" > second.log 2>&1 \
  || { cat second.log; fail "cluster slurm (second run)"; }
id2="$(sed -n 's/^run_id=//p' second.log)"
dir2="$(sed -n 's/^run_dir=//p' second.log)"
touch "$dir2/fold-3"   # a file where fold 3 must make its folder: its task fails
"$dir2/slurm/submit.sh" > submit2.log 2>&1 || { cat submit2.log; fail "submit.sh"; }
"$dir2/slurm/submit.sh" > twice.log 2>&1 && fail "submit.sh ran while the run's jobs were in the queue"
grep -q "still queued or running" twice.log || { cat twice.log; fail "submit.sh refused without saying why"; }
wait_for_end "$id2"
[ "$status" = failed ] || fail "a run with a failing fold ended $status"
"$cli" runs show "$id2" --db "$work/experiments.db" | grep -q "error.*fold 3" \
  || { "$cli" runs show "$id2" --db "$work/experiments.db" | head; fail "the failed run does not name fold 3"; }
echo "failing fold: run failed naming fold 3"
rm "$dir2/fold-3"
"$dir2/slurm/submit.sh" > resubmit.log 2>&1 || { cat resubmit.log; fail "submit.sh again"; }
wait_for_end "$id2"
[ "$status" = finished ] || { tail -5 "$dir2"/slurm/fold-3.log; fail "the resubmitted run ended $status"; }
for k in 0 1 2 4; do
  grep -q "not trained again" "$dir2/slurm/fold-$k.log" || fail "fold $k was trained again on resubmission"
done
echo "resubmission: fold 3 trained, the others kept; run finished"

# Jobs cancelled before the merge ran: the run cannot be deleted while they may run; once none is
# in the queue, cluster status settles it failed, and then it can be deleted with its folder.
"$cli" cluster slurm --preset sample --epochs 1 --cpus 1 --db "$work/experiments.db" --submit > third.log 2>&1 \
  || { cat third.log; fail "cluster slurm (third run)"; }
id3="$(sed -n 's/^run_id=//p' third.log)"
dir3="$(sed -n 's/^run_dir=//p' third.log)"
"$cli" runs delete "$id3" --with-files --db "$work/experiments.db" > delete3.log 2>&1 && fail "a run with jobs in the queue was deleted"
[ -d "$dir3" ] || fail "the refused delete removed the run folder"
scancel -n "foldbench-$id3-merge"   # the merge first: cancelling the array would release it (afterany)
scancel -n "foldbench-$id3"
for _ in $(seq 200); do
  [ -z "$(squeue -h -o %i -n "foldbench-$id3,foldbench-$id3-merge")" ] && break
  sleep 0.2
done
[ -f "$dir3/slurm/jobs" ] || fail "submit.sh did not record the jobs it submitted"
# Within its first seconds after queueing, a run is never settled (squeue may lag); after them it is.
"$cli" cluster status --run "$dir3" --db "$work/experiments.db" > status3-early.log 2>&1 || true
sleep 21
"$cli" cluster status --run "$dir3" --db "$work/experiments.db" > status3.log 2>&1 || { cat status3.log; fail "cluster status"; }
[ "$(status_of "$id3")" = failed ] || { cat status3.log; fail "a run whose jobs were cancelled is $(status_of "$id3")"; }
grep -q "none of its Slurm jobs is in the queue" status3.log || { cat status3.log; fail "cluster status does not say why"; }
"$cli" runs delete "$id3" --with-files --db "$work/experiments.db" > delete3.log 2>&1 || { cat delete3.log; fail "the settled run could not be deleted"; }
[ ! -d "$dir3" ] || fail "the settled run's folder was left"
echo "cancelled jobs: cluster status settled the run failed; deleted with its folder"
echo "slurm test passed"
