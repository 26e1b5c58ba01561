#!/usr/bin/env bash
# sockwatch trace with bad input: each mistake exits non-zero within 10 s,
# prints nothing on stdout and one line on stderr that names it (argp's
# own errors, such as an unknown flag, add its "Try ... --help" hint).
# --help exits 0 and lists the options.
. "$(dirname "$0")/lib.sh"

# Our own errors: PATTERN | ARGS of `sockwatch trace`.
E="^sockwatch trace: "
while IFS='|' read -r pat args; do
	# shellcheck disable=SC2086 # ARGS are words on purpose
	check "trace $args: $pat" fails_with "$pat" "$SW" trace $args
done <<EOF
${E}invalid pid: bad number 'abc' \(want a whole number\)$|-p abc
${E}invalid pid: 0 is out of range \(1 to [0-9]+\)$|-p 0
${E}invalid pid: bad number '-5'|--pid -5
${E}invalid duration '-1': expected a positive number of seconds$|-d -1
${E}invalid duration 'abc': expected a positive number of seconds$|-d abc
${E}invalid duration '0': expected a positive number of seconds$|--duration 0
${E}invalid port: 70000 is out of range \(1 to 65535\)$|--port 70000
${E}invalid port: 0 is out of range|--port 0
${E}invalid state 'NOPE': expected a TCP state such as ESTABLISHED or CLOSE_WAIT$|--state NOPE
${E}invalid ring size '1000': a power of two from 4096 to 1073741824$|--ring-size 1000
${E}invalid ring size '5000'|--ring-size 5000
${E}invalid comm '0123456789abcdef': 1 to 15 characters$|-c 0123456789abcdef
${E}unexpected argument 'extra'$|--json extra
EOF

# argp's own errors: the problem, then its hint naming `sockwatch trace`.
check "trace --bogus" fails_with --hint "${E}unrecognized option '--bogus'$" "$SW" trace --bogus
check "trace -x" fails_with --hint "${E}invalid option -- 'x'$" "$SW" trace -x
check "trace -p (no value)" fails_with --hint "${E}option requires an argument -- 'p'$" "$SW" trace -p

check "input is echoed with control characters escaped" \
	fails_with "^sockwatch trace: invalid state .EST\\\\rX\\\\x1b\\[2J.: expected" "$SW" trace --state $'EST\rX\e[2J'
check "unknown command" fails_with "^sockwatch: unknown command 'nosuchcommand' \(try sockwatch --help\)$" \
	"$SW" nosuchcommand

# Good arguments but no privileges: refused before touching the kernel.
if command -v setpriv > /dev/null; then
	NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
	# shellcheck disable=SC2016 # expanded by su's shell
	NOBODY=(su nobody -s /bin/sh -c 'exec "$0" "$@"')
fi
check "non-root is refused" fails_with "^sockwatch: must run as root" "${NOBODY[@]}" "$SW" trace
check "non-root with options is refused" fails_with "^sockwatch: must run as root" \
	"${NOBODY[@]}" "$SW" trace --json -d 1 --tcp

# --help: exit 0, usage on stdout, every option listed, nothing on stderr.
timeout 10 "$SW" trace --help > "$TMP/help" 2> "$TMP/help.err"
check "--help exits 0" test $? -eq 0
check "--help prints nothing on stderr" test ! -s "$TMP/help.err"
check "--help names the command" grep -q '^Usage: sockwatch trace ' "$TMP/help"
for opt in '-p, --pid=PID' '-c, --comm=COMM' '--port=PORT' '-4, --ipv4' \
	   '-6, --ipv6' '--tcp' '--udp' '--state=STATE' '-d, --duration=SECONDS' \
	   '--json' '--snapshot'; do
	check "--help lists $opt" grep -qE -- "^ +${opt} " "$TMP/help"
done

finish
