#!/usr/bin/env bash
# Writes the foldbench-cli(1) man page from the program's own --help and --version, so the page
# and the program cannot disagree. The usage block is kept as the program prints it (no-fill).
# Usage: man_page.sh FOLDBENCH_CLI OUT
set -euo pipefail
cli="$1"
out="$2"
export FOLDBENCH_BLAS=off
version="$("$cli" --version 2>/dev/null | sed -n '1s/^foldbench-cli \([^ ]*\).*/\1/p')"
# roff: a backslash is written \e; a line starting with . or ' would be read as a request.
escape() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/-/\\-/g'; }
{
  echo ".TH FOLDBENCH-CLI 1 \"\" \"foldbench $version\" \"User Commands\""
  echo ".SH NAME"
  echo "foldbench-cli \\- k-fold training, run tracking and ensemble export for text classifiers"
  echo ".SH SYNOPSIS"
  echo ".B foldbench-cli"
  echo ".I command"
  echo "[\\fIoptions\\fR]"
  echo ".SH DESCRIPTION"
  echo "The command-line twin of the Foldbench workbench: it checks datasets, trains stratified"
  echo "k-fold runs on LibTorch, records them in the SQLite run tracker shared with the window,"
  echo "and exports ensemble submissions. Every command also takes \\fB\\-\\-help\\fR."
  echo ".SH COMMANDS"
  echo ".nf"
  "$cli" --help | sed 1,2d | escape
  echo ".fi"
  echo ".SH FILES AND ENVIRONMENT"
  echo "Outside a project folder (a working directory holding \\fIexperiments.db\\fR), the tracker"
  echo "and run folders live in \\fI\$XDG_DATA_HOME/foldbench\\fR (default \\fI~/.local/share/foldbench\\fR)."
  echo ".TP"
  echo ".B XDG_CACHE_HOME"
  echo "Trained sentencepiece tokenizers are cached in \\fI\$XDG_CACHE_HOME/foldbench\\fR."
  echo ".TP"
  echo ".B FOLDBENCH_SAMPLE_DIR"
  echo "The bundled sample data (default: \\fIshare/foldbench/sample\\fR next to the program)."
  echo ".TP"
  echo ".B FOLDBENCH_SPM_PLUGIN"
  echo "The sentencepiece plugin (default: \\fIlib/foldbench/libfoldbench_spm.so\\fR next to the program)."
  echo ".TP"
  echo ".B FOLDBENCH_BLAS=off"
  echo "Keep the kernels OpenBLAS chose (see \\fBfoldbench-cli doctor\\fR)."
  echo ".TP"
  echo ".I /usr/share/foldbench/presets/*.json"
  echo "The presets as config files, to copy and edit."
  echo ".SH SEE ALSO"
  echo "The user guide \\fI/usr/share/doc/foldbench/GUIDE.md\\fR; the window is \\fBfoldbench\\fR."
} > "$out"
