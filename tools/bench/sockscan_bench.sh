#!/usr/bin/env bash
# sockscan benchmark (a script, not a test):
#
#  1. accuracy on the fixture tree: tests/sockscan/expected.json against
#     what sockscan finds (detection rate, false classification rate);
#  2. accuracy on tests/sockscan/bench-corpus, whose lines carry hand-written
#     "want:" annotations made before sockscan was run on them;
#  3. throughput on the Go standard library of Debian's golang-src, vendor
#     and testdata skipped, in MB/s and files/s, beside `grep -rn` over the
#     same files in the same run (the floor: reading without understanding).
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

python3 - "$TMP/fixtures.json" tests/sockscan/expected.json \
	"$TMP/corpus.json" tests/sockscan/bench-corpus >"$TMP/accuracy.json" <<'EOF'
import json, os, re, sys

FIELDS = ["direction", "protocol", "app_protocol", "host", "port", "binding"]

def fixtures(actual_path, expected_path):
    actual = json.load(open(actual_path))["findings"]
    expected = json.load(open(expected_path))
    key = lambda f: (f["file"], f["line"], f["api"], f["service"])
    got = {key(f): f for f in actual}
    want = {key(f): f for f in expected}
    found = [k for k in want if k in got]
    wrong = [k for k in found if any(got[k][x] != want[k][x] for x in FIELDS)]
    extra = [k for k in got if k not in want]
    return {
        "expected": len(want), "reported": len(got), "found": len(found),
        "misclassified": len(wrong), "false_positives": len(extra),
        "detection_rate": round(len(found) / len(want), 4) if want else None,
        "false_classification_rate":
            round((len(wrong) + len(extra)) / len(got), 4) if got else None,
    }

WANT = re.compile(r"want:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)")

def corpus(actual_path, root):
    actual = json.load(open(actual_path))["findings"]
    want = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith((".go", ".py")):
                continue
            path = os.path.join(dirpath, name)
            for n, line in enumerate(open(path), 1):
                m = WANT.search(line)
                if m:
                    want[(os.path.relpath(path, root), n)] = m.groups()
    got = {}
    for f in actual:
        got.setdefault((f["file"], f["line"]), f)
    misses, wrong = [], []
    for k, (direction, proto, host, port) in sorted(want.items()):
        f = got.get(k)
        if not f:
            misses.append("%s:%d" % k)
            continue
        ok = f["direction"] == direction and f["protocol"] == proto
        if host == "?":
            ok = ok and f["resolution"] == "dynamic"
        elif host == "*":
            ok = ok and f["host"] in (None, "0.0.0.0", "::")
        else:
            ok = ok and f["host"] == host
        ok = ok and (f["port"] is None if port == "?" else str(f["port"]) == port)
        if not ok:
            wrong.append("%s:%d" % k)
    extra = ["%s:%d" % k for k in got if k not in want]
    found = len(want) - len(misses)
    return {
        "annotated": len(want), "reported": len(got), "found": found,
        "misclassified": len(wrong), "false_positives": len(extra),
        "detection_rate": round(found / len(want), 4) if want else None,
        "false_classification_rate":
            round((len(wrong) + len(extra)) / len(got), 4) if got else None,
        "misses": misses, "misclassified_at": wrong, "false_positives_at": extra,
    }

print(json.dumps({"fixtures": fixtures(sys.argv[1], sys.argv[2]),
                  "corpus": corpus(sys.argv[3], sys.argv[4])}))
EOF

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

jq -n --slurpfile acc "$TMP/accuracy.json" --arg src "$src" \
	--argjson files "$files" --argjson bytes "$bytes" --argjson runs "$RUNS" \
	--argjson ts "$t_scan" --argjson tf "$t_full" --argjson tg "$t_grep" \
	--argjson nproc "$(nproc)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
	--argjson parsed "$(jq '.stats.files_parsed' "$TMP/std.json")" \
	--argjson findings "$(jq '.findings | length' "$TMP/std.json")" \
	--argjson findings_full "$(jq '.findings | length' "$TMP/stdfull.json")" \
	--argjson unparsed_full "$(jq '.unparsed | length' "$TMP/stdfull.json")" '
	def rate(t): {seconds: t, mb_per_s: (($bytes / 1e6 / t) * 10 | round / 10),
		      files_per_s: ($files / t | round)};
	$acc[0] + {throughput: {
		tree: $src, files: $files, bytes: $bytes, runs: $runs, cores: $nproc,
		loadavg_after: $load,
		target_mb_per_s: 15,
		sockscan: (rate($ts) + {files_parsed_in_full: $parsed, findings: $findings}),
		sockscan_full_parse: (rate($tf) + {findings: $findings_full, unparsed: $unparsed_full}),
		grep_rn: rate($tg)}}' >"$OUT/sockscan.json" || exit 1

jq -r '
	def pct: if . == null then "n/a" else (. * 1000 | round / 10 | tostring) + " %" end;
	"## sockscan",
	"",
	"| Accuracy | found / expected | detection rate | wrong + extra | false classification rate |",
	"| --- | --- | --- | --- | --- |",
	(.fixtures | "| fixture tree (asserted by the tests) | \(.found) / \(.expected) | \(.detection_rate | pct) | \(.misclassified) + \(.false_positives) | \(.false_classification_rate | pct) |"),
	(.corpus | "| annotated corpus (see its README) | \(.found) / \(.annotated) | \(.detection_rate | pct) | \(.misclassified) + \(.false_positives) | \(.false_classification_rate | pct) |"),
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
	(.throughput | "| grep -rn (floor) | \(.grep_rn.seconds) | \(.grep_rn.mb_per_s) | \(.grep_rn.files_per_s) |")
' "$OUT/sockscan.json"
