#!/usr/bin/env bash
# health: the tls_certificates check on certificates this test makes with
# openssl (issue 17): valid (signed by the test's CA, given as
# tls_ca_file), expiring in 5 days, expired, not yet valid, wrong key
# beside it, self-signed (not the CA's), unreadable; not configured. Each
# gets the right status, and the exit code is the report's status (2 for
# any critical one). Also: health --port N, a failed bind is critical.
. "$(dirname "$0")/lib.sh"
need() { [ -x "$1" ] || { not_ok "$1 is not built"; finish; exit 1; }; }
need "$SW"
D=$TMP/pki
mkdir -p "$D"
cd "$D" || exit 1
q() { "$@" > /dev/null 2>&1 || { echo "  # failed: $*"; return 1; }; }

# a CA, and `openssl ca` for certificates with chosen dates
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 365 -subj /CN=sw17-test-ca
touch index.txt
echo 1000 > serial
cat > ca.cnf <<'CNF'
[ ca ]
default_ca = test
[ test ]
dir = .
database = index.txt
serial = serial
new_certs_dir = .
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
CNF
# leaf NAME ARGS...: NAME.pem and NAME.key, signed by the CA
leaf() {
	local n=$1
	shift
	q openssl req -newkey rsa:2048 -nodes -keyout "$n.key" -out "$n.csr" -subj "/CN=$n.sw17.test" &&
	q openssl ca -batch -config ca.cnf -in "$n.csr" -out "$n.pem" -notext "$@"
}
leaf valid -days 365
leaf expiring -days 5
leaf expired -startdate 20200101000000Z -enddate 20200201000000Z
leaf future -startdate 20400101000000Z -enddate 20410101000000Z
leaf wrongkey -days 365
q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.key
cp other.key wrongkey.key
q openssl req -x509 -newkey rsa:2048 -nodes -keyout selfsigned.key -out selfsigned.pem -days 365 -subj /CN=selfsigned.sw17.test
cat valid.pem valid.key > combined.pem
echo "not a certificate" > garbage.pem
cd - > /dev/null || exit 1

# tls NAME [CA]: health --json with tls_certificates = NAME.pem
tls() {
	{
		printf '[health]\ntls_certificates = %s\n' "$D/$1.pem"
		[ -n "${2:-}" ] && printf 'tls_ca_file = %s\n' "$2"
	} > "$TMP/$1.ini"
	"$SW" health --config "$TMP/$1.ini" --json > "$TMP/$1.json"
	echo $? > "$TMP/$1.rc"
}
st() { jq -r '.checks[] | select(.name == "tls_certificates") | .status' "$TMP/$1.json"; }
cert() { jq -r ".checks[] | select(.name == \"tls_certificates\") | .certificates[0].$2" "$TMP/$1.json"; }
overall_rc() { case $(jq -r .status "$TMP/$1.json") in healthy) echo 0;; warning) echo 1;; critical) echo 2;; esac; }
problem_is() { cert "$1" problem | grep -qE "$2"; }
# expect NAME STATUS PROBLEM-REGEX
expect() {
	local rc
	rc=$(cat "$TMP/$1.rc")
	check "$1: tls_certificates $2 ($(st "$1"): $(cert "$1" problem))" [ "$(st "$1")" = "$2" ]
	[ -n "$3" ] && check "  ... problem says: $3" problem_is "$1" "$3"
	check "  ... exit code $rc is the report's status" [ "$rc" = "$(overall_rc "$1")" ]
	[ "$2" = critical ] && check "  ... critical: exit 2" [ "$rc" = 2 ]
	return 0
}

for n in valid expiring expired future wrongkey combined selfsigned garbage; do
	tls "$n" "$D/ca.pem"
done
tls selfsigned-system
cp "$D/selfsigned.pem" "$D/selfsigned-system.pem"
tls selfsigned-system

expect valid ok ""
check "  ... key found beside it and matches, chain verifies" \
	[ "$(cert valid key_matches) $(cert valid chain_verifies) $(cert valid key)" = "true true $D/valid.key" ]
check "  ... days left about 365" bash -c "[ \$(jq -r '.checks[] | select(.name == \"tls_certificates\") | .certificates[0].days_left | floor' '$TMP/valid.json') -ge 363 ]"
expect expiring warning "expires in [45]\.[0-9] days \(warning within 30\)"
expect expired critical "expired [0-9.]+ days ago"
expect future critical "not valid for another"
expect wrongkey critical "key .*wrongkey.key does not match"
expect combined ok ""
check "  ... the key in the same file is found" [ "$(cert combined key)" = "$D/combined.pem" ]
expect selfsigned warning "chain does not verify against $D/ca.pem"
expect selfsigned-system warning "chain does not verify against the system store"
expect garbage critical "holds no PEM certificate"
jq -c '.checks[] | select(.name == "tls_certificates") | {status, summary, problem: .certificates[0].problem}' "$TMP/expired.json" | sed 's/^/  # /'
jq -c '.checks[] | select(.name == "tls_certificates") | {status, summary}' "$TMP/expiring.json" | sed 's/^/  # /'

# ---- several files: the worst decides, each listed
printf '[health]\ntls_certificates = %s, %s, %s\ntls_ca_file = %s\ntls_warn_days = 3\n' \
	"$D/valid.pem" "$D/expiring.pem" "$D/expired.pem" "$D/ca.pem" > "$TMP/all.ini"
"$SW" health --config "$TMP/all.ini" > "$TMP/all.txt"
rc=$?
check "three files: exit 2, the expired one named" bash -c "[ $rc -eq 2 ] && grep -q 'tls_certificates .*1 of 3 certificate(s) not ok; $D/expired.pem: expired' '$TMP/all.txt'"
check "  ... tls_warn_days = 3: expiring in 5 days is ok" grep -qE "^ +ok +$D/expiring.pem: valid" "$TMP/all.txt"
sed -n '/tls_certificates/,/expired.pem/p' "$TMP/all.txt" | sed 's/^/  # /'

# ---- not configured: ok, and says so
"$SW" health --json > "$TMP/none.json"
check "not configured: ok, TLS not needed" \
	jqt '.checks[] | select(.name == "tls_certificates") | .status == "ok" and (.summary | test("TLS not needed"))' "$TMP/none.json"

# ---- bad config: one line, exit 64
printf '[health]\ntls_warn_days = soon\n' > "$TMP/bad.ini"
"$SW" health --config "$TMP/bad.ini" > /dev/null 2> "$TMP/bad.err"
check "tls_warn_days = soon: exit 64, one line" bash -c "[ $? -eq 64 ] && [ \$(wc -l < '$TMP/bad.err') -eq 1 ]"

# ---- health --port: a port that cannot be bound is critical
setpriv --reuid=65534 --regid=65534 --clear-groups "$SW" health --port 81 --json > "$TMP/p81.json" 2>/dev/null
rc=$?
check "health --port 81 as nobody: exit 2 (got $rc)" [ "$rc" -eq 2 ]
check "  ... port_bind critical: Permission denied" \
	jqt '.checks[] | select(.name == "port_bind") | .status == "critical" and (.summary | test("Permission denied"))' "$TMP/p81.json"
finish
