#!/usr/bin/env bash
# An application's view of an installed bertcls: install_example_test.sh BUILD_DIR SOURCE_DIR
#
# Installs the build tree into a scratch prefix; builds examples/ against it with
# find_package(bertcls CONFIG) and runs the example (fine-tune two steps from the
# installed preset, load OUT/model, predict two texts); then compiles a one-file program
# with nothing but `pkg-config --cflags --libs bertcls` and runs it on that model.
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

fail() { echo "install_example_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for f in bin/bertcls include/bertcls/classifier.h include/bertcls/fine_tune.h share/bertcls/rubert-tiny2/vocab.txt; do
  [[ -e $prefix/$f ]] || fail "the install has no $f"
done
pc_dir=$(dirname "$(find "$prefix" -name bertcls.pc)")
lib_dir=$(dirname "$pc_dir")
[[ -e $lib_dir/libbertcls.so && -e $lib_dir/libbertcls.a && -e $lib_dir/cmake/bertcls/bertclsConfig.cmake ]] ||
  fail "the install has no libbertcls.so, libbertcls.a or bertclsConfig.cmake in $lib_dir"
if grep -rq "$source" "$lib_dir/cmake/bertcls"; then fail "the CMake package refers to the source tree"; fi

# find_package(bertcls CONFIG) and bertcls::bertcls.
cmake -S "$source/examples" -B "$work/examples" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  >"$work/configure.log" || { cat "$work/configure.log"; fail "examples/ did not configure"; }
cmake --build "$work/examples" >"$work/build.log" || { cat "$work/build.log"; fail "examples/ did not build"; }
"$work/examples/fine_tune_and_predict" "$source/data/rutweetcorp-sample/train.csv" \
  "$prefix/share/bertcls/rubert-tiny2" "$work/run" 2 >"$work/example.out" 2>"$work/example.err" ||
  { cat "$work/example.err"; fail "the example failed"; }
cat "$work/example.out"
grep -qx "model: $work/run/model" "$work/example.out" || fail "the example did not print its model folder"
[[ $(grep -cP '^.+\t[01]\t(0\.[5-9]|1\.0)' "$work/example.out") == 2 ]] ||
  fail "the example did not print two predictions (text, label 0 or 1, its score >= 0.5)"

# pkg-config alone: a program that loads the example's model.
cat >"$work/predict.cpp" <<'CPP'
#include <bertcls/classifier.h>
#include <cstdio>
int main(int argc, char** argv) {
  const auto clf = bertcls::Classifier::load(argv[1]);
  const auto p = clf.predict(std::vector<std::string>{"какой хороший день"});
  std::printf("%s %zu\n", clf.labels()[p[0].label].c_str(), p[0].scores.size());
}
CPP
export PKG_CONFIG_PATH=$pc_dir
# shellcheck disable=SC2046  # pkg-config's output is a list of flags
c++ -std=c++20 "$work/predict.cpp" -o "$work/predict" $(pkg-config --cflags --libs bertcls)
LD_LIBRARY_PATH=$lib_dir "$work/predict" "$work/run/model" >"$work/predict.out"
grep -qxE '[01] 2' "$work/predict.out" || fail "the pkg-config program printed '$(cat "$work/predict.out")'"
echo "install_example_test: ok"
