#!/usr/bin/env bash
# sockscan benchmark (a script, not a test):
#
#  1. accuracy on the fixture tree: tests/sockscan/expected.json against
#     what sockscan finds (detection rate, false classification rate);
#  2. accuracy on tests/sockscan/bench-corpus, whose lines carry hand-written
#     "want:" annotations made before sockscan was run on them;
#  3. accuracy on the Python corpus: real projects as pinned Debian
#     packages (tests/sockscan/bench-corpus/python: fetch.sh, packages.txt,
#     annotations.txt), scored by tools/bench/sockscan_score.py, and on the
#     held-out corpora labelled before sockscan was run on them
#     (bench-corpus/heldout, final, final2 ...: the list HELDOUT below);
#  4. throughput on the Go standard library of Debian's golang-src, vendor
#     and testdata skipped, in MB/s and files/s, beside `grep -rn` over the
#     same files in the same run (the floor: reading without understanding);
#  5. one 50 MB file of each language (tools/bench/sockscan_huge.py): MB/s
#     and peak memory, to show time linear and memory bounded in file size.
#
# Writes $BENCH_OUT/sockscan.json (default build/bench) and prints a
# Markdown table. QUICK=1 runs each timing twice instead of five times.
# Environment: SOCKSCAN (binary), GOROOT_SRC (tree to time), RUNS.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
OUT=${BENCH_OUT:-build/bench}
SCAN=${SOCKSCAN:-build/sockscan}
RUNS=${RUNS:-5}
[ "${QUICK:-}" = 1 ] && RUNS=2
TMP=$(mktemp -d /tmp/sockscan-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

if [ ! -x "$SCAN" ]; then
	make -s "$SCAN" || { echo "sockscan_bench: cannot build $SCAN" >&2; exit 1; }
fi
mkdir -p "$OUT"

# --- the Go tree to time ------------------------------------------------------
src=${GOROOT_SRC:-}
if [ -z "$src" ]; then
	for d in $(ls -d /usr/share/go-*/src /usr/lib/go-*/src /usr/share/go/src 2>/dev/null | sort -V -r); do
		[ -f "$d/net/dial.go" ] && { src=$d; break; }
	done
fi
if [ -z "$src" ] || [ ! -d "$src" ]; then
	echo "sockscan_bench: no Go standard library found (apt-get install golang-src)" >&2
	exit 1
fi

# --- accuracy -----------------------------------------------------------------
"$SCAN" tests/sockscan/fixtures >"$TMP/fixtures.json" 2>/dev/null
"$SCAN" tests/sockscan/bench-corpus >"$TMP/corpus.json" 2>/dev/null

python3 tools/bench/sockscan_score.py fixtures "$TMP/fixtures.json" tests/sockscan/expected.json \
	>"$TMP/acc_fixtures.json" || exit 1
python3 tools/bench/sockscan_score.py wants "$TMP/corpus.json" tests/sockscan/bench-corpus \
	>"$TMP/acc_corpus.json" || exit 1
# the Python corpus: real packages, fetched (pinned) and annotated apart
PYCORPUS=${PYCORPUS:-build/bench-corpus/py}
bash tests/sockscan/bench-corpus/python/fetch.sh "$PYCORPUS" || exit 1
python3 tools/bench/sockscan_score.py annotated tests/sockscan/bench-corpus/python/annotations.txt \
	"$PYCORPUS" "$SCAN" >"$TMP/acc_python.json" || exit 1
# the held-out Python corpora, labelled before sockscan was run on them
# (see bench-corpus/README.md), in the order they were made: a new set is
# one more word here. Each is reported as python_<set>.
HELDOUT="heldout final final2 final3 final4 final5 final6 final7 final8 final9 final10 final11 final12 final13 final14 final15 final16 final17 final18 final19 final20 final21 final22 final23 final24 final25 final26 final27 final28 final29 final30 final31 final32 final33 final34 final35 final36 final37 final38 final39 final40 final41 final42 final43 final44 final45 final46"
for set in $HELDOUT; do
	bash tests/sockscan/bench-corpus/python/fetch.sh "$PYCORPUS" \
		tests/sockscan/bench-corpus/$set/packages.txt || exit 1
	python3 tools/bench/sockscan_score.py annotated tests/sockscan/bench-corpus/$set/annotations.txt \
		"$PYCORPUS" "$SCAN" >"$TMP/acc_$set.json" || exit 1
done
# each Python corpus's package count, for the table
for set in python $HELDOUT; do
	npkgs=$(grep -cv '^#\|^[[:space:]]*$' tests/sockscan/bench-corpus/$set/packages.txt)
	jq --argjson n "$npkgs" '. + {packages: $n}' "$TMP/acc_$set.json" >"$TMP/acc.tmp" &&
		mv "$TMP/acc.tmp" "$TMP/acc_$set.json" || exit 1
done
{
	jq -n --slurpfile f "$TMP/acc_fixtures.json" --slurpfile c "$TMP/acc_corpus.json" \
		--slurpfile p "$TMP/acc_python.json" \
		'{fixtures: $f[0], corpus: $c[0], python_corpus: $p[0]}'
	for set in $HELDOUT; do
		jq -n --arg key "python_$set" --slurpfile v "$TMP/acc_$set.json" '{($key): $v[0]}'
	done
} | jq -s 'add' >"$TMP/accuracy.json" || exit 1

# --- throughput -----------------------------------------------------------------
# Median wall time of $RUNS runs of "$@" (output discarded), after one warm-up
# run so that every contender reads from the page cache.
median_seconds() {
	local i t
	"$@" >/dev/null 2>&1
	for i in $(seq "$RUNS"); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		echo $(( $(date +%s%N) - t0 ))
	done | sort -n | awk '{ a[NR] = $1 } END { printf "%.4f\n", a[int((NR + 1) / 2)] / 1e9 }'
}

grep_floor() {
	grep -rn --include='*.go' --exclude='*_test.go' --exclude-dir=vendor \
		--exclude-dir=testdata --exclude-dir='.*' -e 'Listen\|Dial' "$src"
}

"$SCAN" "$src" >"$TMP/std.json" 2>/dev/null
files=$(jq '.stats.files' "$TMP/std.json")
bytes=$(jq '.stats.bytes' "$TMP/std.json")
t_scan=$(median_seconds "$SCAN" "$src")
t_full=$(median_seconds "$SCAN" --full-parse "$src")
t_grep=$(median_seconds grep_floor)
"$SCAN" --full-parse "$src" >"$TMP/stdfull.json" 2>/dev/null

# --- one 50 MB file per language -------------------------------------------------
python3 tools/bench/sockscan_huge.py make "$TMP/huge" || exit 1
read -r hg_s hg_kb hg_cpu <<<"$(python3 tools/bench/sockscan_huge.py run "$SCAN" -j 1 "$TMP/huge/go")"
read -r hp_s hp_kb hp_cpu <<<"$(python3 tools/bench/sockscan_huge.py run "$SCAN" -j 1 "$TMP/huge/py")"
hg_bytes=$(stat -c %s "$TMP/huge/go/huge.go")
hp_bytes=$(stat -c %s "$TMP/huge/py/huge.py")

jq -n --slurpfile acc "$TMP/accuracy.json" --arg src "$src" \
	--argjson files "$files" --argjson bytes "$bytes" --argjson runs "$RUNS" \
	--argjson ts "$t_scan" --argjson tf "$t_full" --argjson tg "$t_grep" \
	--argjson nproc "$(nproc)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
	--argjson parsed "$(jq '.stats.files_parsed' "$TMP/std.json")" \
	--argjson findings "$(jq '.findings | length' "$TMP/std.json")" \
	--argjson findings_full "$(jq '.findings | length' "$TMP/stdfull.json")" \
	--argjson unparsed_full "$(jq '.unparsed | length' "$TMP/stdfull.json")" \
	--argjson hg_s "$hg_s" --argjson hg_kb "$hg_kb" --argjson hg_bytes "$hg_bytes" \
	--argjson hp_s "$hp_s" --argjson hp_kb "$hp_kb" --argjson hp_bytes "$hp_bytes" \
	--argjson hg_cpu "$hg_cpu" --argjson hp_cpu "$hp_cpu" '
	def rate(t): {seconds: t, mb_per_s: (($bytes / 1e6 / t) * 10 | round / 10),
		      files_per_s: ($files / t | round)};
	def huge(b; t; kb; cpu): {bytes: b, seconds: t, mb_per_s: ((b / 1e6 / t) * 10 | round / 10),
				  cpu_seconds: cpu, mb_per_cpu_s: ((b / 1e6 / cpu) * 10 | round / 10),
				  peak_rss_mb: (kb / 1024 | round)};
	$acc[0] + {huge_file: {go: huge($hg_bytes; $hg_s; $hg_kb; $hg_cpu),
			       python: huge($hp_bytes; $hp_s; $hp_kb; $hp_cpu)},
		   throughput: {
		tree: $src, files: $files, bytes: $bytes, runs: $runs, cores: $nproc,
		loadavg_after: $load,
		target_mb_per_s: 15,
		sockscan: (rate($ts) + {files_parsed_in_full: $parsed, findings: $findings}),
		sockscan_full_parse: (rate($tf) + {findings: $findings_full, unparsed: $unparsed_full}),
		grep_rn: rate($tg)}}' >"$OUT/sockscan.json" || exit 1

jq -r --arg sets "$HELDOUT" '
	def pct: if . == null then "n/a" else (. * 1000 | round / 10 | tostring) + " %" end;
	# heldout, final, final2...: the names the README gives them; final7 on were labelled blind
	def title(s): if s == "heldout" then "Python held-out corpus"
		elif s == "final" then "Python final held-out"
		else "Python final held-out \(s[5:])" +
			(if (s[5:] | tonumber) >= 7 then ", labelled blind" else "" end) end;
	"## sockscan",
	"",
	"| Accuracy | found / expected | detection rate | wrong + extra | false classification rate |",
	"| --- | --- | --- | --- | --- |",
	(.fixtures | "| fixture tree (asserted by the tests) | \(.found) / \(.expected) | \(.detection_rate | pct) | \(.misclassified) + \(.false_positives) | \(.false_classification_rate | pct) |"),
	(.corpus | "| annotated corpus (see its README) | \(.found) / \(.annotated) | \(.detection_rate | pct) | \(.misclassified) + \(.false_positives) | \(.false_classification_rate | pct) |"),
	(.python_corpus | "| Python corpus: \(.annotated) sites in \(.packages) Debian packages (bench-corpus/python) | \(.found) / \(.annotated) | \(.detection_rate | pct) | \(.misclassified) + \(.false_positives) | \(.false_classification_rate | pct) |"),
	(. as $r | $sets | split(" ")[] | . as $set | $r["python_" + $set] |
	 "| \(title($set)): \(.annotated) sites in \(.packages) packages (bench-corpus/\($set)) | \(.found) / \(.annotated) | \(.detection_rate | pct) | \(.misclassified) + \(.false_positives) | \(.false_classification_rate | pct) |"),
	"",
	(. as $r | ($sets | split(" ")) as $s | [.python_corpus] + [$s[] | $r["python_" + .]] |
	 "Python ports fixed in the code and resolved: \(map(.ports_resolved) | add) / \(map(.ports_fixed_in_code) | add) (python, \($s | join(", ")): \(map("\(.ports_resolved)/\(.ports_fixed_in_code)") | join(", ")))."),
	"",
	(.python_corpus | "Python corpus: ports fixed in the code resolved \(.ports_resolved) / \(.ports_fixed_in_code); crashed on: \(if (.crashed | length) > 0 then .crashed | join(", ") else "none" end)."),
	(.python_corpus | if (.misses | length) > 0 then "Python corpus misses: \(.misses | join(", "))" else empty end),
	(.python_corpus | if (.false_positives_at | length) > 0 then "Python corpus false findings: \(.false_positives_at | join(", "))" else empty end),
	"",
	(.corpus | if (.misses | length) > 0 then "Corpus misses: \(.misses | join(", "))" else empty end),
	(.corpus | if (.misclassified_at | length) > 0 then "Corpus misclassified: \(.misclassified_at | join(", "))" else empty end),
	"",
	(.throughput | "Go standard library \(.tree): \(.files) files, \(.bytes / 1e6 * 10 | round / 10) MB, vendor and testdata skipped; median of \(.runs) runs on \(.cores) cores, load average \(.loadavg_after) (target: \(.target_mb_per_s) MB/s)."),
	"",
	"| Contender | seconds | MB/s | files/s |",
	"| --- | --- | --- | --- |",
	(.throughput | "| sockscan (full parse of files importing network packages: \(.sockscan.files_parsed_in_full)) | \(.sockscan.seconds) | \(.sockscan.mb_per_s) | \(.sockscan.files_per_s) |"),
	(.throughput | "| sockscan --full-parse (every file) | \(.sockscan_full_parse.seconds) | \(.sockscan_full_parse.mb_per_s) | \(.sockscan_full_parse.files_per_s) |"),
	(.throughput | "| grep -rn (floor) | \(.grep_rn.seconds) | \(.grep_rn.mb_per_s) | \(.grep_rn.files_per_s) |"),
	"",
	"| One 50 MB file (-j 1) | seconds | MB/s | CPU seconds | MB per CPU second | peak memory |",
	"| --- | --- | --- | --- | --- | --- |",
	(.huge_file | "| Go | \(.go.seconds) | \(.go.mb_per_s) | \(.go.cpu_seconds) | \(.go.mb_per_cpu_s) | \(.go.peak_rss_mb) MB |"),
	(.huge_file | "| Python | \(.python.seconds) | \(.python.mb_per_s) | \(.python.cpu_seconds) | \(.python.mb_per_cpu_s) | \(.python.peak_rss_mb) MB |")
' "$OUT/sockscan.json"
