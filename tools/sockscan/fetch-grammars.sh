#!/usr/bin/env bash
# Fetch the tree-sitter Go and Python grammars sockscan compiles in.
#
# They come from the npm registry (`npm pack`), pinned to versions whose
# grammar ABI (14) the Debian libtree-sitter 0.20.7 accepts, and checked
# against sha256 sums computed once. They are unpacked under build/grammars/
# and never committed. Run again, it only checks what is there: a grammar
# whose tarball is present with the right sum and already unpacked is left
# alone, so `make deps` stays fast.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
dest=${GRAMMAR_DIR:-$top/build/grammars}

# name version sha256-of-the-npm-tarball
grammars=(
	"tree-sitter-go 0.23.4 8779d20d322b4319ad8c833ea72ecb6d109cf1fec8979bdcdb5315a2e511dd2c"
	"tree-sitter-python 0.23.6 aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a"
)

sum_ok() {
	[ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

fetch_one() {
	local name=$1 version=$2 sum=$3
	local tgz=$dest/$name-$version.tgz dir=$dest/$name

	if sum_ok "$tgz" "$sum" && [ -f "$dir/.version" ] &&
	   [ "$(cat "$dir/.version")" = "$version" ]; then
		return 0
	fi
	if ! sum_ok "$tgz" "$sum"; then
		command -v npm >/dev/null 2>&1 || {
			echo "fetch-grammars: npm is not installed (needed for $name@$version)" >&2
			return 1
		}
		rm -f "$tgz"
		if ! (cd "$dest" && npm pack --loglevel=error "$name@$version" >/dev/null 2>"$dest/npm.log"); then
			echo "fetch-grammars: npm pack $name@$version failed (is the npm registry reachable?): $(grep -m 1 'FetchError\|npm error code\|ERR' "$dest/npm.log")" >&2
			return 1
		fi
		if ! sum_ok "$tgz" "$sum"; then
			echo "fetch-grammars: $name-$version.tgz has sha256 $(sha256sum "$tgz" | cut -d' ' -f1), expected $sum" >&2
			rm -f "$tgz"
			return 1
		fi
	fi
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -xzf "$tgz" -C "$dir.tmp" --strip-components=1 package/src
	echo "$version" > "$dir.tmp/.version"
	mv "$dir.tmp" "$dir"
}

mkdir -p "$dest"
for g in "${grammars[@]}"; do
	# shellcheck disable=SC2086
	fetch_one $g
done
