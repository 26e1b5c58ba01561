#!/usr/bin/env bash
# Fetch the Python benchmark corpus (packages.txt): each Debian package at
# its pinned version, with apt-get download (Debian's mirror is what this
# project can reach), unpacked with dpkg-deb -x into DEST/PACKAGE/ (default
# build/bench-corpus/py). Nothing fetched is committed. Idempotent.
# A second argument names another list in the same format (the held-out
# corpus, ../heldout/packages.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-build/bench-corpus/py}
list=${2:-$here/packages.txt}
debs=$(dirname "$dest")/debs
mkdir -p "$dest" "$debs"
dest=$(cd "$dest" && pwd)
debs=$(cd "$debs" && pwd)
grep -v '^#' "$list" | while read -r pkg ver; do
	[ -n "$pkg" ] || continue
	[ -d "$dest/$pkg" ] && [ "$(cat "$dest/$pkg/.version" 2>/dev/null)" = "$ver" ] && continue
	deb=$(ls "$debs/${pkg}_${ver/:/%3a}_"*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		(cd "$debs" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1) || {
			echo "fetch.sh: cannot download $pkg=$ver (apt-get update? version gone from the mirror?)" >&2
			exit 1
		}
		deb=$(ls "$debs/${pkg}_"*.deb | head -1)
	fi
	rm -rf "$dest/$pkg"
	dpkg-deb -x "$deb" "$dest/$pkg"
	echo "$ver" >"$dest/$pkg/.version"
done
