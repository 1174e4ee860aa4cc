#!/usr/bin/env bash
# A run whose disk fills up (the run folder and the tracker on a 20 MB tmpfs, mounted in a
# private mount namespace): a clear message naming the file and the space, exit status 1 (not
# 134, an abort), the run failed in the tracker with that reason, no temporary files, and the
# checkpoints written before intact. Then an export onto the full disk: a clear error and no
# partial submission. Needs root for the mount; skips (77) saying why otherwise.
# Usage: disk_full.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
if [ "${FOLDBENCH_IN_SMALL_DISK:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "SKIPPED: mounting a small tmpfs needs root"; exit 77; }
  unshare -m true 2>/dev/null || { echo "SKIPPED: no private mount namespace here (unshare -m)"; exit 77; }
  export FOLDBENCH_IN_SMALL_DISK=1
  exec unshare -m "$0" "$@"
fi
scratch="$(mktemp -d)"
small="$scratch/small"
mkdir -p "$small"
mount --make-rprivate / 2>/dev/null || true
mount -t tmpfs -o size=20m tmpfs "$small"
trap 'umount -l "$small" 2>/dev/null || true; rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

rc=0
"$cli" train --preset sample --epochs 3 --out "$small/runs" --db "$small/e.db" > train.log 2>&1 || rc=$?
[ "$rc" = 1 ] || { tail -20 train.log; fail "a run on a full disk exited $rc, not 1"; }
grep -q "terminate called\|c10::Error" train.log && fail "LibTorch aborted"
grep -Eq "^error: fold [0-9]: cannot write $small/runs/[^ ]*/best.pt: No space left on device \(needed at least [0-9.]+ MB, [0-9.]+ MB free\)" train.log \
  || { tail -5 train.log; fail "no clear message naming the checkpoint and the space"; }
id="$(sed -n 's/^run_id=//p' train.log)"
"$cli" runs list --db "$small/e.db" --format csv | grep -q ",$id,.*,failed," || { "$cli" runs list --db "$small/e.db"; fail "the run is not failed in the tracker"; }
"$cli" runs show "$id" --db "$small/e.db" | grep -q "^error fold [0-9]: cannot write .*No space left on device" \
  || fail "the tracker does not record the reason"
[ -z "$(find "$small" -name '*.tmp*')" ] || { find "$small" -name '*.tmp*'; fail "temporary files were left"; }
sizes="$(find "$small/runs" -name best.pt -printf '%s\n' | sort -u)"
[ -n "$sizes" ] && [ "$(echo "$sizes" | wc -l)" = 1 ] || fail "the checkpoints written before are not whole: $sizes"
grep -Eq "warning: $small/runs/[^ ]* has [0-9.]+ MB free, and the 4 folds still to train need about [0-9.]+ MB" train.log \
  || fail "no warning after the first fold that the disk is too small for the rest"
echo "train: failed cleanly after $(find "$small/runs" -name best.pt | wc -l) checkpoints"

# An export onto the full disk: a clear error, and no partial submission left.
"$cli" train --preset sample --epochs 1 --out "$scratch/runs" --db "$scratch/e.db" > good.log 2>&1 || { tail good.log; fail "the run on a normal disk"; }
good="$(sed -n 's/^run_id=//p' good.log)"
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' "$scratch/runs/$good/config.json")"
dd if=/dev/zero of="$small/filler" bs=64k 2>/dev/null || true   # nothing left at all
rc=0
"$cli" export --run "$good" --db "$scratch/e.db" --test "$test_file" --out "$small/submission.csv" > export.log 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "an export to a full disk succeeded"
[ "$rc" != 134 ] || fail "the export aborted"
grep -q "cannot write $small/submission.csv: No space left on device" export.log || { cat export.log; fail "no clear export error"; }
[ ! -e "$small/submission.csv" ] || fail "a partial submission was left"
[ -z "$(find "$small" -name '*.tmp*')" ] || fail "the export left temporary files"
# The tracker alone on a disk that fills during training: the run stops and fails saying the
# tracker cannot record it (no metrics lost silently), the database stays intact, and the
# runs can still be listed.
tracker="$scratch/tracker"
mkdir -p "$tracker"
mount -t tmpfs -o size=900k tmpfs "$tracker"
rc=0
"$cli" train --preset sample --epochs 3 --out "$scratch/runs" --db "$tracker/e.db" > tracker.log 2>&1 || rc=$?
umount_tracker() { umount -l "$tracker" 2>/dev/null || true; }
[ "$rc" = 1 ] || { tail -5 tracker.log; umount_tracker; fail "a run whose tracker filled up exited $rc, not 1"; }
grep -q "^error: the tracker could not record the run, so training stopped (.*full" tracker.log \
  || { tail -5 tracker.log; umount_tracker; fail "no clear message about the full tracker"; }
"$cli" runs list --db "$tracker/e.db" --format csv > list.log 2>&1 || { cat list.log; umount_tracker; fail "the runs of a full tracker cannot be listed"; }
grep -q ",failed," list.log || { cat list.log; umount_tracker; fail "the run is not failed in the full tracker"; }
"$cli" runs show 1 --db "$tracker/e.db" | grep -q "^error the tracker could not record the run" \
  || { "$cli" runs show 1 --db "$tracker/e.db" | head -5; umount_tracker; fail "the full tracker does not say why the run failed"; }
[ -z "$(ls "$tracker" | grep reserve)" ] || { ls -la "$tracker"; umount_tracker; fail "the tracker's reserve was left behind"; }
python3 -c "import sqlite3, sys; r = sqlite3.connect(sys.argv[1]).execute('pragma integrity_check').fetchone()[0]; sys.exit(r != 'ok')" "$tracker/e.db" \
  || { umount_tracker; fail "the full tracker is damaged"; }
umount_tracker
echo "disk full handled"
