#!/usr/bin/env bash
# sockwatch replay: the worked examples of the detection semantics, --json,
# and bad input (one line on stderr, non-zero exit). Needs no BPF.
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SW" ]; then
	not_ok "$SW is not built"
	finish
	exit 1
fi

R="100 120 130 140 150 160 170 180 190 200 200 200 210 220 230 230 230 230 230"
series() { printf '%s\n' $R; }

# R with long_samples 40: fails first at 190 (short 152.0286, long 118.9989,
# rd 0.21726), where the timer is armed.
series > "$TMP/r.txt"
"$SW" replay --long 40 "$TMP/r.txt" > "$TMP/out" 2> "$TMP/err"
check "replay R --long 40 exits 0" [ $? -eq 0 ]
check "no stderr on success" [ ! -s "$TMP/err" ]
check "one line per sample" [ "$(grep -vc '^#' "$TMP/out")" -eq 19 ]
check "first failure at 190 with the documented figures" \
	[ "$(grep -v '^#' "$TMP/out" | awk '$5 == 1 { print; exit }')" = \
	  "190 152.0286 118.9989 0.21726 1 armed" ]
check "armed exactly once" [ "$(grep -c ' armed$' "$TMP/out")" -eq 1 ]

# R with long_samples 25 never fails; its largest rd is 0.18143.
series | "$SW" replay --long 25 > "$TMP/out25"
check "R --long 25 never fails" [ "$(grep -v '^#' "$TMP/out25" | awk '$5 == 0' | wc -l)" -eq 19 ]
check "R --long 25 largest rd 0.18143" \
	[ "$(grep -v '^#' "$TMP/out25" | sort -k4 -g | tail -1 | awk '{print $4}')" = 0.18143 ]

# 100..1099 with max_ports 200: first failure at 200, armed once, confirmed
# once, 25 samples (the default breach duration at 1 s) later.
seq 100 1099 | "$SW" replay --max-ports 200 > "$TMP/ramp"
check "ramp: first failure at 200" \
	[ "$(grep -v '^#' "$TMP/ramp" | awk '$5 == 1 { print $1; exit }')" = 200 ]
check "ramp: armed once" [ "$(grep -c ' armed$' "$TMP/ramp")" -eq 1 ]
check "ramp: confirmed once, at 225" \
	[ "$(awk '$6 == "confirmed" { print $1 }' "$TMP/ramp")" = 225 ]
check "ramp: never cancelled" [ "$(grep -c cancelled "$TMP/ramp")" -eq 0 ]

# --interval moves the timer in sample time: 2 s samples confirm after 13.
seq 100 1099 | "$SW" replay --max-ports 200 --interval 2 > "$TMP/ramp2"
check "--interval 2: confirmed at 213" \
	[ "$(awk '$6 == "confirmed" { print $1 }' "$TMP/ramp2")" = 213 ]

# A breach that recovers is cancelled.
printf '%s\n' 100 300 300 50 50 | "$SW" replay --breach-duration 10 > "$TMP/cancel"
check "armed then cancelled" \
	[ "$(awk 'NF == 6 { printf "%s ", $6 }' "$TMP/cancel")" = "armed cancelled " ]

# --json: one object per sample, parsed by jq, transition only when moved.
series | "$SW" replay --long 40 --json > "$TMP/json"
jq_ok() { jq -e "$@" > /dev/null 2>&1; }
check "--json parses" jq_ok . "$TMP/json"
check "--json: 19 objects" [ "$(jq -s length "$TMP/json")" -eq 19 ]
check "--json: keys" [ "$(jq -c 'keys_unsorted' "$TMP/json" | head -1)" = \
	'["count","short","long","rd","fail"]' ]
check "--json: armed at 190" [ "$(jq -c 'select(.transition) | [.count, .transition]' "$TMP/json")" = '[190,"armed"]' ]
check "--json: figures" \
	jq_ok -s 'map(select(.fail))[0] | .count == 190 and (.short*10000|round) == 1520286 and (.long*10000|round) == 1189989 and (.rd*100000|round) == 21726' "$TMP/json"

# --config takes [ewma] from a file; flags override it.
printf '[ewma]\nlong_samples = 40\n' > "$TMP/c.ini"
series | "$SW" replay --config "$TMP/c.ini" > "$TMP/cfgout"
check "--config [ewma] applies" [ -s "$TMP/cfgout" ]
check "--config [ewma] gives --long 40's figures" cmp -s <(grep -v '^#' "$TMP/out") <(grep -v '^#' "$TMP/cfgout")
series | "$SW" replay --config "$TMP/c.ini" --long 25 > "$TMP/cfgover"
check "flags override --config" [ -s "$TMP/cfgover" ]
check "flags override --config: --long 25's figures" cmp -s <(grep -v '^#' "$TMP/out25") <(grep -v '^#' "$TMP/cfgover")

# Bad input: non-zero exit, exactly one line on stderr naming the problem.
check "non-integer line names its line" fails_with --out '<stdin>:2:.*abc' \
	"$SW" replay < <(printf '100\nabc\n')
check "negative count" fails_with --out ':1: negative count' "$SW" replay < <(echo -5)
check "fraction is not a count" fails_with --out ':1: bad number' "$SW" replay < <(echo 1.5)
check "missing file" fails_with '/nonexistent/series' "$SW" replay /nonexistent/series
check "min >= max names the flags" \
	fails_with '\-\-max-ports \(200\) must be greater than --min-ports \(300\)' \
	"$SW" replay --min-ports 300 --max-ports 200 < /dev/null
check "short >= long" fails_with '\-\-short \(50\) must be less than --long \(40\)' \
	"$SW" replay --short 50 --long 40 < /dev/null
check "long <= 2" fails_with '\-\-long must be greater than 2' \
	"$SW" replay --long 2 --short 1 < /dev/null
check "max-difference 0" fails_with 'max-difference' \
	"$SW" replay --max-difference 0 < /dev/null
check "bad flag value" fails_with "\-\-min-ports: bad number 'x'" \
	"$SW" replay --min-ports x < /dev/null
check "bad interval" fails_with '\-\-interval' "$SW" replay --interval 0 < /dev/null
printf '[ewma]\nmin_ports = 70000\n' > "$TMP/bad.ini"
check "bad --config names file and line" fails_with "bad.ini:2:" \
	"$SW" replay --config "$TMP/bad.ini" < /dev/null

finish
