#!/bin/sh
# Runs the command after FILE when FILE exists; otherwise exits 77, which ctest reports as skipped.
file=$1; shift
if [ ! -e "$file" ]; then echo "SKIP: $file not present"; exit 77; fi
exec "$@"
