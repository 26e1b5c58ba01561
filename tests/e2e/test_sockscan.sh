#!/usr/bin/env bash
# sockscan end to end: the exact findings on the fixture tree, the three
# output formats read back by real parsers, the walk's options, and bad
# input. Needs jq and python3 (standard library only).
. "$(dirname "$0")/lib.sh"

SCAN=${SOCKSCAN:-$PWD/$BUILD/sockscan}
FIX=tests/sockscan/fixtures
EXPECTED=tests/sockscan/expected.json
PROJECT=tests/sockscan/project.jq

if [ ! -x "$SCAN" ]; then
	not_ok "build/sockscan exists (run make build/sockscan)"
	finish
	exit 1
fi

"$SCAN" "$FIX" >"$TMP/out.json" 2>"$TMP/err.txt"
rc=$?

# --- exact findings -----------------------------------------------------
check "scan of the fixtures exits 0 (syntax errors are reported, not fatal)" test "$rc" -eq 0
check "JSON output parses" jqt . "$TMP/out.json"
jq -f "$PROJECT" "$TMP/out.json" >"$TMP/actual.json"
if diff -u "$EXPECTED" "$TMP/actual.json" >"$TMP/diff.txt"; then
	ok "findings equal $EXPECTED ($(jq length "$EXPECTED") findings, field by field)"
else
	not_ok "findings differ from $EXPECTED:"
	head -n 60 "$TMP/diff.txt"
fi

# every "want:" annotation of the per-family Python fixtures, on its own
python3 tools/bench/sockscan_score.py wants "$TMP/out.json" "$FIX" >"$TMP/wants.json"
check "Python families: every want: line found as annotated, nothing else there" \
	jqt '.annotated >= 84 and .found == .annotated and .misclassified == 0' "$TMP/wants.json"
# and, scanned on their own, no finding on a line without want: (the negatives)
"$SCAN" "$FIX/py/families" >"$TMP/families.json" 2>/dev/null
python3 tools/bench/sockscan_score.py wants "$TMP/families.json" "$FIX/py/families" >"$TMP/fwants.json"
check "Python families: no finding on the negatives (lines without want:)" \
	jqt '.found == .annotated and .false_positives == 0' "$TMP/fwants.json"
# a Debian-style layout: the script in usr/bin imports from dist-packages
"$SCAN" "$FIX/py/sitelayout" >"$TMP/sitelayout.json" 2>/dev/null
check "Python script outside the site directory: its package's defaults resolve" \
	jqt '[.findings[] | select(.file == "usr/bin/wikiapp-serve")] |
	     (map(select(.line == 23 and .host == "localhost" and .port == 8080)) | length) == 1 and
	     (map(select(.line == 27 and .port == null)) | length) == 1' "$TMP/sitelayout.json"
# a package scanned on its own: its absolute imports begin with its own name
"$SCAN" "$FIX/py/rootpkg" >"$TMP/rootpkg.json" 2>/dev/null
python3 tools/bench/sockscan_score.py wants "$TMP/rootpkg.json" "$FIX/py/rootpkg" >"$TMP/rwants.json"
check "Python package scanned from its own root: imports by its own name resolve" \
	jqt '.annotated == 2 and .found == 2 and .misclassified == 0 and .false_positives == 0' "$TMP/rwants.json"
# a package that is a library with rules, scanned from its root: its own calls of its API are no use of it
"$SCAN" "$FIX/py/ownpkg" >"$TMP/ownpkg.json" 2>/dev/null
python3 tools/bench/sockscan_score.py wants "$TMP/ownpkg.json" "$FIX/py/ownpkg" >"$TMP/owants.json"
check "a library's own package calling its API: no finding there; an application beside it: found" \
	jqt '.annotated == 3 and .found == 3 and .misclassified == 0 and .false_positives == 0' "$TMP/owants.json"

# --- negatives and skipped places, asserted on their own as well ----------
none_from() {
	jq -e --arg re "$1" '[.findings[] | select(.file | test($re))] | length == 0' \
		"$TMP/out.json" >/dev/null
}
check "no finding from user types, comments, strings, sqlite (Go)" none_from 'negative\.go$'
check "no finding from user classes, comments, strings, sqlite3 (Python)" none_from 'negative\.py$'
check "vendor/ skipped by default" none_from '/vendor/'
check "testdata/ skipped by default" none_from '/testdata/'
check "*_test.go skipped by default" none_from '_test\.go$'
check "Python tests skipped by default: tests/, test_*.py, *_test.py, conftest.py" \
	none_from '(/tests/|/test_[^/]*\.py$|_test\.py$|/conftest\.py$)'
check "hidden directories skipped by default" none_from '/\.hidden/'
check "sql.Open(\"sqlite3\", ...) is no finding" jqt '[.findings[] | select(.app_protocol == "sqlite")] | length == 0' "$TMP/out.json"
check "every finding names its service" jqt 'all(.findings[]; (.service | length) > 0)' "$TMP/out.json"
check "dynamic findings carry the expression text" \
	jqt 'all(.findings[] | select(.resolution == "dynamic"); (.expr // .dynamic | length) > 0)' "$TMP/out.json"

# --- files with syntax errors -----------------------------------------------
check "unparsed lists the broken Go file with its line" \
	jqt '.unparsed | any(.file == "go/broken/broken.go" and .line == 9 and .findings_kept)' "$TMP/out.json"
check "unparsed lists the broken Python file" \
	jqt '.unparsed | any(.file == "py/tools/broken.py")' "$TMP/out.json"
check "findings before the syntax error are kept" \
	jqt 'any(.findings[]; .file == "go/broken/broken.go" and .port == 7777)' "$TMP/out.json"
check "stderr warns about each broken file" test "$(grep -c 'syntax error' "$TMP/err.txt")" -eq 2

# --- walk options -------------------------------------------------------------
has_port() {
	local port=$1
	shift
	"$SCAN" "$@" "$FIX/go" 2>/dev/null | jq -e --argjson p "$port" 'any(.findings[]; .port == $p)' >/dev/null
}
check "--include-vendor scans vendor/" has_port 1111 --include-vendor
check "--include-tests scans *_test.go" has_port 2222 --include-tests
check "--include-tests scans testdata/" has_port 3333 --include-tests
check "--include-hidden scans hidden directories" has_port 4444 --include-hidden
"$SCAN" --include-tests "$FIX/py/families" 2>/dev/null >"$TMP/pytests.json"
check "--include-tests scans Python tests too (tests/, conftest.py, *_test.py)" \
	jqt '[.findings[].port] | contains([9600, 9601, 9602])' "$TMP/pytests.json"
"$SCAN" -j 1 "$FIX" 2>/dev/null | jq -f "$PROJECT" >"$TMP/j1.json"
check "-j 1 finds what -j 2 finds" cmp -s "$TMP/j1.json" "$TMP/actual.json"
"$SCAN" --output "$TMP/written.json" "$FIX" >/dev/null 2>&1
check "--output writes the report to the file" cmp -s <(jq -f "$PROJECT" "$TMP/written.json") "$TMP/actual.json"
"$SCAN" "$FIX/go/internal/server/listeners.go" 2>/dev/null >"$TMP/one.json"
check "a single file can be scanned" jqt '[.findings[]] | length == 13' "$TMP/one.json"

# --- CSV, read back with Python's csv module ----------------------------------
"$SCAN" --format csv "$FIX" >"$TMP/out.csv" 2>/dev/null
check "CSV matches the JSON findings, row by row" python3 - "$TMP/out.csv" "$TMP/out.json" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
doc = json.load(open(sys.argv[2]))
want = ["file", "line", "column", "language", "service", "module", "direction", "api",
        "protocol", "app_protocol", "host", "port", "binding", "resolution", "expr", "dynamic"]
assert list(rows[0].keys()) == want, rows[0].keys()
assert len(rows) == len(doc["findings"]), (len(rows), len(doc["findings"]))
for row, f in zip(rows, doc["findings"]):
    for k in want:
        v = f[k]
        assert row[k] == ("" if v is None else str(v)), (k, row[k], v)
EOF

# --- SARIF 2.1.0's required structure -------------------------------------------
"$SCAN" --format sarif "$FIX" >"$TMP/out.sarif" 2>/dev/null
check "SARIF: version 2.1.0 and \$schema" jqt '.version == "2.1.0" and (."$schema" | test("sarif"))' "$TMP/out.sarif"
check "SARIF: runs[].tool.driver.name" jqt '.runs | length == 1 and .[0].tool.driver.name == "sockscan"' "$TMP/out.sarif"
check "SARIF: every result has ruleId, message.text, uri and startLine" jqt '
	.runs[0].results | length > 0 and all(.[];
		(.ruleId | type) == "string" and (.message.text | type) == "string" and
		(.locations[0].physicalLocation.artifactLocation.uri | type) == "string" and
		(.locations[0].physicalLocation.region.startLine | type) == "number" and
		.locations[0].physicalLocation.region.startLine >= 1)' "$TMP/out.sarif"
check "SARIF: ruleIds are declared by the driver" jqt '
	[.runs[0].tool.driver.rules[].id] as $ids | all(.runs[0].results[]; .ruleId as $r | $ids | index($r))' "$TMP/out.sarif"
check "SARIF: one result per finding plus one per broken file" \
	test "$(jq '.runs[0].results | length' "$TMP/out.sarif")" -eq "$(( $(jq '.findings | length' "$TMP/out.json") + 2 ))"

# --- bad input: one line on stderr, non-zero exit, no crash ---------------------
bad() {
	local what=$1 want=$2
	shift 2
	"$SCAN" "$@" >"$TMP/bad.out" 2>"$TMP/bad.err"
	local code=$?
	if [ "$code" -ne 0 ] && [ "$code" -lt 128 ] && [ "$(wc -l <"$TMP/bad.err")" -eq 1 ] &&
	   grep -q -- "$want" "$TMP/bad.err"; then
		ok "$what (exit $code: $(cat "$TMP/bad.err"))"
	else
		not_ok "$what (exit $code, stderr: $(cat "$TMP/bad.err"))"
	fi
}
bad "missing path" "$TMP/nowhere" "$TMP/nowhere"
ln -s "$TMP/gone.go" "$TMP/dangling.go"
bad "unreadable file named on the command line" "dangling.go" "$TMP/dangling.go"
echo 'not a source' >"$TMP/notes.txt"
bad "a file that is not Go or Python" "notes.txt" "$TMP/notes.txt"
bad "unknown --format" "format" --format xml "$FIX"
bad "bad --jobs" "jobs" -j 0 "$FIX"
bad "unwritable --output" "cannot write" --output "$TMP/no/such/dir/out.json" "$FIX/go/internal"

mkdir -p "$TMP/tree"
cp "$FIX/go/internal/server/listeners.go" "$TMP/tree/"
ln -s "$TMP/gone.go" "$TMP/tree/lost.go"
"$SCAN" "$TMP/tree" >"$TMP/tree.json" 2>"$TMP/tree.err"
code=$?
check "unreadable file in a tree: exit 1, still a full report" \
	test "$code" -eq 1 -a "$(jq '.findings | length' "$TMP/tree.json")" -eq 13
check "unreadable file in a tree: listed in unparsed, named on stderr" \
	jqt '.unparsed | any(.file == "lost.go" and (.reason | test("cannot read")))' "$TMP/tree.json"
check "unreadable file in a tree: one stderr line" test "$(grep -c lost.go "$TMP/tree.err")" -eq 1

# --- input that once crashed or hung it (issue 15) -------------------------------
# Every run below is bounded by `timeout`: a hang fails instead of blocking.
ROBUST=tests/sockscan/robust
scan_to() {	# scan_to NAME ARGS...: report in $TMP/NAME.json, stderr in .err, exit in $code
	local name=$1
	shift
	timeout 60 "$SCAN" "$@" >"$TMP/$name.json" 2>"$TMP/$name.err"
	code=$?
}
scan_to robust "$ROBUST"
check "odd constructs (bare annotations, half declarations, return outside a function, a call chain of exponential cost...): exit 0" \
	test "$code" -eq 0
check "odd constructs: the call after each one is found" jqt '[.findings[] | [.file, .line, .port]] ==
	[["go/composite_twice.go", 9, 7005],
	 ["go/fmt_percent.go", 10, null], ["go/fmt_percent.go", 11, 7004],
	 ["go/halfdecl.go", 10, 7002], ["py/annotation.py", 3, 80],
	 ["py/call_chain.py", 26, 7007],
	 ["py/int_sum_overflow.py", 3, null], ["py/none_format.py", 3, 80],
	 ["py/oddities.py", 24, 7001], ["py/star_cycle/b.py", 3, 7006],
	 ["py/unclosed.py", 3, 7003]]' "$TMP/robust.json"

mkdir -p "$TMP/a"
printf 'x: int\nimport socket\ns = socket.create_connection(("example.com", 80))\n' >"$TMP/a/a.py"
scan_to issue "$TMP/a"
check "issue 15's command prints its finding and exits 0" \
	jqt --argjson rc "$code" '$rc == 0 and [.findings[] | [.host, .port]] == [["example.com", 80]]' "$TMP/issue.json"

mkdir -p "$TMP/empty"
echo 'print("no sockets")' >"$TMP/empty/quiet.py"
scan_to empty "$TMP/empty"
check "a tree without findings: exit 0, empty findings" jqt --argjson rc "$code" '$rc == 0 and .findings == []' "$TMP/empty.json"
mkdir -p "$TMP/nosource/doc"
echo 'nothing to read' >"$TMP/nosource/doc/README"
scan_to nosource "$TMP/nosource"
check "a tree without a source file: exit 0, empty findings, no warning" \
	jqt --argjson rc "$code" '$rc == 0 and .findings == []' "$TMP/nosource.json"
check "a tree without a source file: nothing on stderr (no sanitizer report)" test ! -s "$TMP/nosource.err"

mkdir -p "$TMP/loop/pkg"
printf 'package main\nimport "net"\nfunc main() { net.Listen("tcp", ":7010") }\n' >"$TMP/loop/pkg/main.go"
ln -s .. "$TMP/loop/pkg/up"
ln -s ../pkg "$TMP/loop/pkg/again"
ln -s main.go "$TMP/loop/pkg/alias.go"
scan_to loop "$TMP/loop"
check "symbolic link loops and aliases: ends, each file once" \
	jqt --argjson rc "$code" '$rc == 0 and (.findings | length) == 1 and .stats.files == 1' "$TMP/loop.json"

mkdir -p "$TMP/special"
mkfifo "$TMP/special/x.go"
printf 'import socket\nsocket.create_connection(("h", 7011))\n' >"$TMP/special/y.py"
scan_to special "$TMP/special"
check "a FIFO named x.go is skipped with a warning, never opened" \
	jqt --argjson rc "$code" '$rc == 0 and [.findings[].port] == [7011]' "$TMP/special.json"
check "the FIFO's warning names it" grep -q 'x.go: not a regular file, skipped' "$TMP/special.err"
scan_to fifoarg "$TMP/special/x.go"
check "a FIFO named on the command line: one line, exit 2" \
	test "$code" -eq 2 -a "$(wc -l <"$TMP/fifoarg.err")" -eq 1

mkdir -p "$TMP/bytes"
printf 'import socket\nsocket.create_connection(("h\xff\xfe", 7012))\n' >"$TMP/bytes/b$(printf '\xff')d.py"
scan_to bytes "$TMP/bytes"
check "non-UTF-8 path and string: escaped as \\xHH, not dropped" \
	jqt '.findings[0] | .file == "b\\xffd.py" and .host == "h\\xff\\xfe" and .port == 7012 and (.expr | test("xff"))' "$TMP/bytes.json"
"$SCAN" --format sarif "$TMP/bytes" 2>/dev/null >"$TMP/bytes.sarif"
check "non-UTF-8: SARIF keeps the result" \
	jqt '.runs[0].results | length == 1 and .[0].locations[0].physicalLocation.artifactLocation.uri == "b\\xffd.py"' "$TMP/bytes.sarif"

mkdir -p "$TMP/bin"
head -c 2000000 /dev/urandom >"$TMP/bin/blob.py"
printf 'package g\nconst g = "\0"\n' >"$TMP/bin/nul.go"
scan_to bin "$TMP/bin"
check "binary files named .py/.go: skipped, exit 0, listed in unparsed" \
	jqt --argjson rc "$code" '$rc == 0 and ([.unparsed[] | select(.reason == "binary file, skipped") | .file] == ["blob.py", "nul.go"])' "$TMP/bin.json"
check "binary files: one warning each" test "$(grep -c 'binary file, skipped' "$TMP/bin.err")" -eq 2

finish
