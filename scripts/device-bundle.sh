#!/usr/bin/env bash
# The Debian packages the core needs besides LibTorch, as .deb files for a machine that has no
# network and no Debian packages of ours (the GPU machine: docs/CUDA.md, "Checking on a GPU").
#
#   scripts/device-bundle.sh download [DIR]    here, on Debian 12: apt-get download into DIR
#                                              (default device-debs/, git-ignored), about 3.5 MB
#   scripts/device-bundle.sh unpack DIR PREFIX there: unpacks every DIR/*.deb into PREFIX
#                                              (dpkg -x, else ar + tar, else python3), so the
#                                              files land in PREFIX/usr/...; pkg-config files
#                                              are pointed at PREFIX/usr
#
# What they give: SQLite (headers, library), sentencepiece (headers, libraries; only the plugin
# and foldbench-spm-train link it), nlohmann-json (headers, CMake config), googletest (source,
# built there with the C++ ABI of that LibTorch) and pkgconf (for machines without pkg-config).
# Debian 12's libraries need glibc >= 2.34 and libstdc++ with GLIBCXX_3.4.29 (GCC 11) or newer.
set -euo pipefail

packages=(libsqlite3-0 libsqlite3-dev libsentencepiece0 libsentencepiece-dev nlohmann-json3-dev googletest
          pkgconf pkgconf-bin libpkgconf3)

usage() {
  echo "usage: scripts/device-bundle.sh download [DIR] | unpack DIR PREFIX" >&2
  exit 2
}

download() {
  local dir=${1:-$(cd "$(dirname "$0")/.." && pwd)/device-debs}
  command -v apt-get > /dev/null || { echo "apt-get download needs a Debian machine" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  rm -f "$dir"/*.deb "$dir/MANIFEST"
  # apt drops privileges to _apt, which cannot write into most folders: download in a scratch one.
  local scratch
  scratch=$(mktemp -d)
  chmod 777 "$scratch"
  (cd "$scratch" && apt-get download "${packages[@]}")
  mv "$scratch"/*.deb "$dir"/
  rmdir "$scratch"
  (cd "$dir" && for deb in *.deb; do
     printf '%s %s %s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)" "$(sha256sum "$deb" | cut -d' ' -f1)"
   done) > "$dir/MANIFEST"
  echo "downloaded ${#packages[@]} packages into $dir ($(du -sh "$dir" | cut -f1)):"
  cat "$dir/MANIFEST"
}

# One .deb into PREFIX without dpkg: a .deb is an ar archive holding data.tar.{xz,zst,gz}.
unpack_with_ar() {
  local deb=$1 prefix=$2 scratch
  scratch=$(mktemp -d)
  (cd "$scratch" && ar x "$deb")
  tar -xf "$scratch"/data.tar.* -C "$prefix"
  rm -rf "$scratch"
}

unpack_with_python() {
  python3 - "$1" "$2" <<'EOF'
import io, lzma, sys, tarfile
deb, prefix = sys.argv[1], sys.argv[2]
data = open(deb, "rb").read()
assert data[:8] == b"!<arch>\n", deb + " is not an ar archive"
at = 8
while at < len(data):
    name = data[at:at + 16].decode().strip().rstrip("/")
    size = int(data[at + 48:at + 58].decode().strip())
    body = data[at + 60:at + 60 + size]
    at += 60 + size + (size % 2)
    if name.startswith("data.tar"):
        if name.endswith(".xz"):
            body = lzma.decompress(body)
        elif name.endswith(".zst"):
            sys.exit(deb + ": zstd-compressed and neither dpkg nor ar is here")
        tarfile.open(fileobj=io.BytesIO(body)).extractall(prefix)
        break
EOF
}

unpack() {
  [[ $# -eq 2 ]] || usage
  local dir prefix
  dir=$(cd "$1" && pwd)
  mkdir -p "$2"
  prefix=$(cd "$2" && pwd)
  local debs=("$dir"/*.deb)
  [[ -e ${debs[0]} ]] || { echo "no .deb files in $dir (scripts/device-bundle.sh download)" >&2; exit 1; }
  local how=python3
  if command -v dpkg > /dev/null; then how=dpkg; elif command -v ar > /dev/null; then how="ar"; fi
  for deb in "${debs[@]}"; do
    case $how in
      dpkg) dpkg -x "$deb" "$prefix" ;;
      ar) unpack_with_ar "$deb" "$prefix" ;;
      python3) unpack_with_python "$deb" "$prefix" ;;
    esac
  done
  # The .pc files say prefix=/usr.
  local pc
  for pc in "$prefix"/usr/lib/*/pkgconfig/*.pc "$prefix"/usr/share/pkgconfig/*.pc; do
    [[ -e $pc ]] && sed -i "s|^prefix=/usr\$|prefix=$prefix/usr|" "$pc"
  done
  echo "unpacked ${#debs[@]} packages into $prefix with $how"
}

case ${1:-} in
  download) shift; download "$@" ;;
  unpack) shift; unpack "$@" ;;
  *) usage ;;
esac
