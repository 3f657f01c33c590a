#!/usr/bin/env bash
# The Debian package: deb_package_test.sh BUILD_DIR VERSION SOURCE_DIR
#
# Runs `cpack -G DEB` on the build tree, checks the package's fields (Depends as
# dpkg-shlibdeps computed them) and its files, unpacks it into a scratch root and runs
# the packaged bertcls from there; where a mount namespace can be had, also trains with
# it while the source tree's data/ is hidden, so the preset must come from the package.
# Exits 77 (a skip) without cpack or dpkg-deb.
set -euo pipefail
build=$(realpath "$1")
version=$2
source=$(realpath "$3")
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "deb_package_test: no $tool, skipped"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "deb_package_test: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$work/bertcls_${version}_amd64.deb
[[ -f $deb ]] || fail "cpack made no $(basename "$deb"): $(ls "$work")"

dpkg-deb -I "$deb" >"$work/info"
grep -q '^ Package: bertcls$' "$work/info" || fail "no 'Package: bertcls' in: $(cat "$work/info")"
grep -q "^ Version: $version\$" "$work/info" || fail "no 'Version: $version' in: $(cat "$work/info")"
depends=$(grep '^ Depends:' "$work/info") || fail "no Depends in: $(cat "$work/info")"
for lib in libopenblas libcurl; do
  [[ $depends == *"$lib"* ]] || fail "Depends does not mention $lib: $depends"
done
echo "$depends"

dpkg-deb -c "$deb" >"$work/contents"
for f in usr/bin/bertcls usr/include/bertcls/classifier.h usr/include/bertcls/bertcls.h 'usr/lib/.*libbertcls\.so\.[0-9]' \
         'usr/lib/.*cmake/bertcls/bertclsConfig\.cmake' 'usr/lib/.*pkgconfig/bertcls\.pc' usr/share/bertcls/rubert-tiny2/vocab.txt; do
  grep -qE "\./$f" "$work/contents" || fail "the package has no $f"
done

dpkg-deb -x "$deb" "$work/root"
lib_dir=$(dirname "$(find "$work/root" -name 'libbertcls.so*' | head -1)")
out=$(LD_LIBRARY_PATH=$lib_dir "$work/root/usr/bin/bertcls" --version)
[[ $out == "$version" ]] || fail "the packaged bertcls --version printed '$out'"
# The compiled-in source data/ wins when it exists; hidden, the unpacked share/bertcls must serve.
if unshare --mount --map-root-user true 2>/dev/null; then
  head -33 "$source/data/rutweetcorp-sample/train.csv" >"$work/train.csv"
  mkdir "$work/empty"
  unshare --mount --map-root-user bash -c 'mount --bind "$1" "$2" && shift 2 && "$@"' _ "$work/empty" "$source/data" \
    env LD_LIBRARY_PATH="$lib_dir" "$work/root/usr/bin/bertcls" train --train "$work/train.csv" --out "$work/run" \
    --max-steps 1 --max-length 16 --batch-size 8 --valid-split 0 >"$work/train.log" 2>&1 ||
    { cat "$work/train.log"; fail "the packaged bertcls did not train from its own preset"; }
else
  echo "deb_package_test: no mount namespace; the packaged preset is not tried"
fi
echo "deb_package_test: ok ($(du -h "$deb" | cut -f1))"
