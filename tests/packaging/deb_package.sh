#!/usr/bin/env bash
# Builds the Debian package from the build folder, checks its files and dependencies with
# dpkg-deb, unpacks it into a scratch root and runs the installed programs from there: the
# version report, the sample job trained from the installed preset, the window's first frame.
# With FOLDBENCH_TEST_DPKG_INSTALL=1 (as root, on a throwaway machine) it also installs the
# package with apt-get, runs foldbench-cli from PATH and removes the package again.
# Usage: deb_package.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

(cd "$scratch" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/pkg" > cpack.log 2>&1) \
  || { cat "$scratch/cpack.log"; fail "cpack"; }
deb="$(ls "$scratch"/pkg/*.deb)"
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"

# Files: everything the programs look for, nothing from the build or test tree.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' > "$scratch/files"
for f in /usr/bin/foldbench /usr/bin/foldbench-cli \
         /usr/lib/foldbench/libfoldbench_spm.so /usr/lib/foldbench/foldbench-spm-train \
         /usr/share/foldbench/sample/train.tsv /usr/share/foldbench/sample/test.tsv /usr/share/foldbench/sample/labels.tsv \
         /usr/share/foldbench/presets/sample.json /usr/share/foldbench/presets/klue-re-scratch.json /usr/share/foldbench/presets/klue-re-best.json \
         /usr/share/applications/io.github.foldbench.Foldbench.desktop \
         /usr/share/metainfo/io.github.foldbench.Foldbench.metainfo.xml \
         /usr/share/icons/hicolor/scalable/apps/io.github.foldbench.Foldbench.svg \
         /usr/share/icons/hicolor/48x48/apps/io.github.foldbench.Foldbench.png \
         /usr/share/icons/hicolor/256x256/apps/io.github.foldbench.Foldbench.png \
         /usr/share/man/man1/foldbench-cli.1.gz \
         /usr/share/doc/foldbench/GUIDE.md /usr/share/doc/foldbench/CLI.md /usr/share/doc/foldbench/CONFIG.md \
         /usr/share/doc/foldbench/CLUSTER.md; do
  grep -qx "$f" "$scratch/files" || fail "the package lacks $f"
done
allowed='^/$|^/usr/$|^/usr/bin/$|^/usr/bin/foldbench(-cli)?$|^/usr/lib/$|^/usr/lib/foldbench/|^/usr/share/$|^/usr/share/(foldbench|applications|metainfo|icons|man|doc)/'
if grep -Ev "$allowed" "$scratch/files"; then fail "files outside the layout (above)"; fi
if grep -E '_test|/bench|screenshots|\.a$|\.h$' "$scratch/files"; then fail "build or test files in the package (above)"; fi
echo "files: $(grep -vc '/$' "$scratch/files") entries, layout checked"

# Dependencies: from dpkg-shlibdeps for what the programs link, plus what they load at run time.
depends="$(dpkg-deb -f "$deb" Depends)"
for d in libtorch libsentencepiece0 libqt6widgets6 libqcustomplot2.1-qt6 libsqlite3-0 libopenblas0 fonts-nanum libqt6svg6; do
  grep -q "$d" <<< "$depends" || fail "Depends lacks $d: $depends"
done
echo "depends: $depends"

# Metadata files, checked by their own validators.
root="$scratch/root"
dpkg-deb -x "$deb" "$root"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.foldbench.Foldbench.metainfo.xml" > "$scratch/as.log" 2>&1 \
  || { cat "$scratch/as.log"; fail "AppStream metainfo"; }
if command -v desktop-file-validate > /dev/null; then
  desktop-file-validate "$root/usr/share/applications/io.github.foldbench.Foldbench.desktop" || fail "desktop entry"
fi
zcat "$root/usr/share/man/man1/foldbench-cli.1.gz" | grep -q '^\.SH COMMANDS' || fail "man page"
zcat "$root/usr/share/man/man1/foldbench-cli.1.gz" | grep -q "^  runs prune" || fail "man page lacks a command"

# The installed programs, run from the scratch root: they must find their own plugin and data.
cli="$root/usr/bin/foldbench-cli"
work="$scratch/work"
mkdir -p "$work"
cd "$work"
export XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
"$cli" --version > version.txt
cat version.txt
grep -q "^sentencepiece plugin: $root/usr/lib/foldbench/libfoldbench_spm.so" version.txt || fail "not the installed plugin"
"$cli" config init --preset sample | grep -q "\"train_path\": \"$root/usr/share/foldbench/sample/train.tsv\"" \
  || fail "the sample preset does not point at the installed sample data"
"$cli" train --config "$root/usr/share/foldbench/presets/sample.json" --epochs 1 --tag packaged > train.log
grep -q '^status finished' train.log || { cat train.log; fail "sample job"; }
id="$(sed -n 's/^run_id=//p' train.log)"
[ -f "$XDG_DATA_HOME/foldbench/runs/$id/summary.json" ] || fail "the run is not in the data folder"
"$cli" runs list --filter "tag = packaged" --format csv | grep -q "$id" || fail "the run is not tracked"
echo "sample job: run $id finished from the installed preset"
QT_QPA_PLATFORM=offscreen "$root/usr/bin/foldbench" --preset sample --screenshot "$scratch/window.png" > /dev/null 2>&1 \
  || fail "the installed window did not start"
[ -s "$scratch/window.png" ] || fail "the installed window drew nothing"
echo "window: first frame drawn"

if [ "${FOLDBENCH_TEST_DPKG_INSTALL:-0}" = 1 ]; then
  [ "$(id -u)" -eq 0 ] || fail "FOLDBENCH_TEST_DPKG_INSTALL=1 needs root"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" > "$scratch/apt.log" 2>&1 || { cat "$scratch/apt.log"; fail "apt-get install"; }
  foldbench-cli --version | grep -q "^sentencepiece plugin: /usr/lib/foldbench/libfoldbench_spm.so" || fail "installed --version"
  dpkg -r foldbench > /dev/null
  echo "dpkg: installed, ran and removed"
fi
echo "package checked"
