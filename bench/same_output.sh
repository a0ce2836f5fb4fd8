#!/bin/sh
# Run `geo extract` on every development corpus and keep the outputs, or compare them
# with outputs kept earlier: a refactoring must not change any of them.
#   bench/same_output.sh save BEFORE_DIR [GEO]    # e.g. on main
#   bench/same_output.sh check BEFORE_DIR [GEO]   # on the branch: exit 1 on any difference
# GEO defaults to .venv/bin/geo; corpora come from ../shared/eval/data (EVAL_DIR to override).
set -eu
mode=$1; dir=$2; geo=${3:-.venv/bin/geo}
eval_dir=${EVAL_DIR:-../shared/eval/data}
case $mode in
  save) out=$dir ;;
  check) out=$(mktemp -d) ;;
  *) echo "usage: $0 save|check DIR [GEO]" >&2; exit 2 ;;
esac
mkdir -p "$out"
for corpus in "$eval_dir"/*.jsonl; do
  name=$(basename "$corpus" .jsonl)
  "$geo" extract --no-progress "$corpus" -o "$out/$name.jsonl"
done
if [ "$mode" = check ]; then
  status=0
  for f in "$dir"/*.jsonl; do
    if cmp -s "$f" "$out/$(basename "$f")"; then
      echo "same: $(basename "$f") ($(wc -l < "$f") documents)"
    else
      echo "DIFFERENT: $(basename "$f")"; status=1
    fi
  done
  rm -rf "$out"
  exit $status
fi
echo "saved in $dir"
