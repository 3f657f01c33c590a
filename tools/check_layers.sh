#!/usr/bin/env bash
# Checks the layering of docs/DESIGN.md: every #include "layer/..." between the layers
# of a source tree must point down (or stay inside its own layer). Prints one line per
# upward include and exits 1 if there is any; with --graph, also draws the graph: one
# line per pair of layers with an include between them and how many there are.
#
#   tools/check_layers.sh [--graph] src
#
# A file's layer is its first folder below the tree (src/model/batch.h: model). An
# include's layer is the first component of its path ("io/safetensors.h": io), since
# every include in src/ is written relative to src/. The public headers, included as
# <bertcls/...>, are of two kinds (docs/DESIGN.md): the API (classifier.h, fine_tune.h,
# pretrain.h, train_vocabulary.h, bertcls.h), which is pipeline's, and the vocabulary (error.h, data.h, ...), plain types
# below every layer. A folder missing from the table below is reported too: a new layer
# must get its place here before it gets files.
set -euo pipefail

graph=0
if [[ ${1:-} == --graph ]]; then graph=1; shift; fi
root=${1:?usage: tools/check_layers.sh [--graph] SRC_DIR}
[[ -d $root ]] || { echo "check_layers: $root: no such folder" >&2; exit 2; }
root=${root%/}

# Lowest first. io, text and dist share a rank: none includes another in today's code
# (the tokenizers parse tokenizer.json themselves), and a peer is not "below".
declare -A rank=(
  [vocabulary]=-1 [common]=0 [tensor]=1 [io]=2 [text]=2 [dist]=2 [model]=3 [hf]=4 [train]=5 [pipeline]=6 [serve]=7 [capi]=7 [cli]=8
)
declare -A alias=([bertcls/classifier.h]=pipeline [bertcls/fine_tune.h]=pipeline [bertcls/pretrain.h]=pipeline
                  [bertcls/train_vocabulary.h]=pipeline [bertcls/bertcls.h]=pipeline)
declare -A edges=()

violations=0
while IFS= read -r -d '' file; do
  rel=${file#"$root"/}
  from=${rel%%/*}
  [[ $rel == */* ]] || continue  # a file at the top of the tree belongs to no layer
  if [[ -z ${rank[$from]+x} ]]; then
    echo "$file: in folder $from, which has no layer (add it to tools/check_layers.sh)"
    violations=$((violations + 1))
    continue
  fi
  while IFS= read -r target; do
    to=${target%%/*}
    [[ $target == */* ]] || continue  # a same-folder include stays in its layer
    if [[ $to == bertcls ]]; then to=${alias[$target]:-vocabulary}; fi
    [[ $to == "$from" ]] && continue
    edges["$from -> $to"]=$((${edges["$from -> $to"]:-0} + 1))
    if [[ -z ${rank[$to]+x} ]]; then
      echo "$file: includes $target (layer $from -> unknown layer $to)"
    elif ((rank[$to] >= rank[$from])); then
      echo "$file: includes $target (layer $from -> layer $to)"
    else
      continue
    fi
    violations=$((violations + 1))
  done < <(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/p; s/^[[:space:]]*#[[:space:]]*include[[:space:]]*<(bertcls\/[^>]+)>.*/\1/p' "$file")
done < <(find "$root" -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' -o -name '*.inc' \) -print0 | sort -z)

if ((graph)); then
  for edge in "${!edges[@]}"; do
    from=${edge%% *} to=${edge##* }
    printf '%s\t%s\t%s\n' "${rank[$from]}" "$edge" "${edges[$edge]}"
  done | sort -t$'\t' -k1,1nr -k2,2 | while IFS=$'\t' read -r _ edge n; do printf '%-24s %4d includes\n' "$edge" "$n"; done
fi

if ((violations > 0)); then
  echo "check_layers: $violations violation(s) of the layering in docs/DESIGN.md" >&2
  exit 1
fi
