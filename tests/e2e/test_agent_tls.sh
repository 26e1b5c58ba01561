#!/usr/bin/env bash
# TLS and authentication as Prometheus exporters do them: --web-config in
# the exporter-toolkit format. The test makes its own CA, server and
# client certificates (openssl), and a rogue CA with a client certificate
# of its own; a real Prometheus scrapes the agent over TLS (CA + basic
# auth) and over mTLS; curl without the CA, with the rogue certificate,
# without a certificate where one is required, or with a wrong password is
# refused; SIGHUP switches client_auth_type; bad files are one line and a
# non-zero exit. Loopback only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"

D=$TMP/pki
mkdir -p "$D"
. "$(dirname "$0")/helpers/pki.sh"
ca ca "sockwatch test CA" && ca rogue "rogue CA" &&
	cert server ca 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' /CN=localhost &&
	cert client ca 'extendedKeyUsage=clientAuth\n' /CN=prometheus &&
	cert intruder rogue 'extendedKeyUsage=clientAuth\n' /CN=prometheus
check "openssl made a CA, server and client certificates, and a rogue CA's client certificate" \
	test -s "$D/server.crt" -a -s "$D/client.crt" -a -s "$D/intruder.crt"
chmod 600 "$D"/*.key

HASH=$(bcrypt 's3cret pass' 10)
check "bcrypt hash from libxcrypt ($HASH)" grep -qE '^\$2b\$10\$.{53}$' <<<"$HASH"

# web CLIENT_AUTH: the web config, with basic auth
web() {
	cat <<EOF
# exporter-toolkit web config
tls_server_config:
  cert_file: pki/server.crt
  key_file: pki/server.key
  client_auth_type: $1
  client_ca_file: pki/ca.crt
  min_version: TLS12
basic_auth_users:
  prometheus: '$HASH'
EOF
}
web VerifyClientCertIfGiven > "$TMP/web.yml"

# ---- bad files: one line naming the problem, non-zero exit ----
PORT=$(free_port)
# bad NAME EXPECT: the agent refuses $TMP/bad.yml at once
bad() {
	local rc
	"$SW" agent --listen "127.0.0.1:$PORT" --web-config "$TMP/bad.yml" > /dev/null 2> "$TMP/bad.err"
	rc=$?
	echo "    $(head -c 300 "$TMP/bad.err")"
	[ $rc -ne 0 ] && [ "$(wc -l < "$TMP/bad.err")" -eq 1 ] && grep -q -- "$2" "$TMP/bad.err"
}
sed 's#pki/server.crt#pki/missing.crt#' "$TMP/web.yml" > "$TMP/bad.yml"
check "missing cert_file: one line, exit != 0" bad missing "cert_file 'pki/missing.crt': No such file"
sed 's#pki/server.key#pki/intruder.key#' "$TMP/web.yml" > "$TMP/bad.yml"
check "key that is not the certificate's: one line, exit != 0" bad mismatch 'cert_file and key_file: .*'
sed 's#^  min_version: TLS12#&\n  cipher_sweets: [TLS_AES_128_GCM_SHA256]#' "$TMP/web.yml" > "$TMP/bad.yml"
check "unknown field: one line with its line number" bad unknown "bad.yml:[0-9]*: .*unknown field 'cipher_sweets'"
printf 'tls_server_config:\n  cert_file: pki/server.crt\n  key_file: pki/server.key\nbasic_auth_users:\n  admin: %s\n' \
	"'$(bcrypt x 4)'" > "$TMP/bad.yml"
check "bcrypt cost 4: refused as too weak" bad weak "'admin': bcrypt cost 4 is too weak"
printf 'tls_server_config:\n  cert_file: pki/server.crt\n  key_file: pki/server.key\n  client_auth_type: Sometimes\n' > "$TMP/bad.yml"
check "invalid client_auth_type" bad auth "invalid client_auth_type 'Sometimes'"
printf 'tls_server_config: [\n' > "$TMP/bad.yml"
check "YAML syntax error" bad yaml 'bad.yml:[0-9]*: '
printf 'basic_auth_users:\n  u: %s\n' "'$HASH'" > "$TMP/bad.yml"
"$SW" agent --listen "0.0.0.0:$PORT" --web-config "$TMP/bad.yml" > /dev/null 2> "$TMP/bad.err"
check "off loopback with basic auth but neither TLS nor a token: refused at start" \
	grep -q 'without TLS or a token file' "$TMP/bad.err"
echo "    $(cat "$TMP/bad.err")"

# ---- the agent over TLS ----
# the agent helper starts and waits; the requests here are https
start_agent agent --listen "127.0.0.1:$PORT" --web-config "$TMP/web.yml"
AGENT=$AG
check "agent ready, serving https" grep -q "https 127.0.0.1:$PORT" "$TMP/agent.err"
URL="https://127.0.0.1:$PORT/metrics"
# code ARGS...: the HTTP status curl got (000: no HTTP answer at all)
code() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$@" "$URL"; }
CA=(--cacert "$D/ca.crt")
ME=(--cert "$D/client.crt" --key "$D/client.key")
check "CA + password: 200" test "$(code "${CA[@]}" -u 'prometheus:s3cret pass')" = 200
check "CA + client certificate + password: 200" test "$(code "${CA[@]}" "${ME[@]}" -u 'prometheus:s3cret pass')" = 200
check "without the CA: refused (certificate not trusted)" test "$(code -u 'prometheus:s3cret pass')" = 000
check "plain HTTP to the TLS port: no HTTP answer" test "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")" != 200
check "wrong password: 401" test "$(code "${CA[@]}" -u 'prometheus:wrong')" = 401
check "unknown user: 401" test "$(code "${CA[@]}" -u 'root:s3cret pass')" = 401
check "no credentials: 401 with WWW-Authenticate: Basic" \
	bash -c "curl -s -m 5 -D - -o /dev/null --cacert '$D/ca.crt' '$URL' | grep -qi '^www-authenticate: Basic'"
ROGUE=(--cert "$D/intruder.crt" --key "$D/intruder.key")
check "VerifyClientCertIfGiven: the rogue CA's client certificate is refused (403)" \
	test "$(code "${CA[@]}" "${ROGUE[@]}" -u 'prometheus:s3cret pass')" = 403
check "/healthz stays public (TLS still)" test "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "${CA[@]}" "https://127.0.0.1:$PORT/healthz")" = 200
check "TLS 1.1 is below min_version: refused" test "$(code "${CA[@]}" --tls-max 1.1 -u 'prometheus:s3cret pass')" = 000

# ---- a real Prometheus: TLS with the test's CA, and mTLS ----
PPORT=$(free_port)
PBASE="http://127.0.0.1:$PPORT"
mkdir -p "$TMP/prom"
cat > "$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  scrape_timeout: 2s
scrape_configs:
  - job_name: tls
    scheme: https
    tls_config:
      ca_file: $D/ca.crt
    basic_auth:
      username: prometheus
      password: 's3cret pass'
    static_configs:
      - targets: ['127.0.0.1:$PORT']
  - job_name: mtls
    scheme: https
    tls_config:
      ca_file: $D/ca.crt
      cert_file: $D/client.crt
      key_file: $D/client.key
    basic_auth:
      username: prometheus
      password: 's3cret pass'
    static_configs:
      - targets: ['127.0.0.1:$PORT']
  - job_name: badpass
    scheme: https
    tls_config:
      ca_file: $D/ca.crt
    basic_auth:
      username: prometheus
      password: 'guess'
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOF
spawn prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom/data" \
	--web.listen-address="127.0.0.1:$PPORT" --log.level=warn > "$TMP/prom/log" 2>&1
PROM=$LAST_PID
pquery() {
	curl -s -m 3 -G --data-urlencode "query=$2" "$PBASE/api/v1/query" > "$TMP/prom/$1.json" &&
		jq -e "$3" "$TMP/prom/$1.json" >/dev/null
}
up_is() { pquery "up_$1" "up{job=\"$1\"}" ".data.result | length == 1 and .[0].value[1] == \"$2\""; }
check "Prometheus is up" wait_for 30 curl -sf -m 2 -o /dev/null "$PBASE/-/ready"
check "Prometheus over TLS (CA, basic auth): up{job=\"tls\"} == 1" wait_for 30 up_is tls 1
check "Prometheus over mTLS: up{job=\"mtls\"} == 1" wait_for 30 up_is mtls 1
check "Prometheus with a wrong password: up{job=\"badpass\"} == 0" wait_for 30 up_is badpass 0
check "...and the series came through TLS: sockwatch_build_info{job=\"mtls\"}" \
	wait_for 15 pquery info 'sockwatch_build_info{job="mtls"}' '.data.result | length == 1'
curl -s -m 3 "$PBASE/api/v1/targets" > "$TMP/prom/targets.json"
jq -r '.data.activeTargets[] | "    prometheus target \(.labels.job): \(.scrapeUrl) health=\(.health) \(.lastError)"' "$TMP/prom/targets.json"

# ---- SIGHUP: require and verify client certificates ----
web RequireAndVerifyClientCert > "$TMP/web.yml"
kill -HUP "$AGENT"
reloaded() { grep -q 'configuration reloaded' "$TMP/agent.err"; }
wait_for 10 reloaded
nocert() { test "$(code "${CA[@]}" -u 'prometheus:s3cret pass')" = 000; }
check "after SIGHUP to RequireAndVerifyClientCert: no client certificate is refused" wait_for 10 nocert
check "...a client certificate of the CA still gets 200" test "$(code "${CA[@]}" "${ME[@]}" -u 'prometheus:s3cret pass')" = 200
check "...the rogue CA's client certificate is refused in the handshake" \
	test "$(code "${CA[@]}" "${ROGUE[@]}" -u 'prometheus:s3cret pass')" = 000
check "...a good certificate does not replace the password: 401" \
	test "$(code "${CA[@]}" "${ME[@]}" -u 'prometheus:wrong')" = 401
check "...Prometheus's TLS-only job goes down" wait_for 30 up_is tls 0
check "...its mTLS job stays up" wait_for 30 up_is mtls 1
printf 'tls_server_config:\n  cert_file: pki/nothere.crt\n' > "$TMP/web.yml"
kill -HUP "$AGENT"
kept() { grep -q "web config: .*nothere.crt.*keeping the old one" "$TMP/agent.err"; }
check "a broken web config on SIGHUP is rejected, the old one kept" wait_for 10 kept
check "...and still served" test "$(code "${CA[@]}" "${ME[@]}" -u 'prometheus:s3cret pass')" = 200
grep 'web config' "$TMP/agent.err" | sed 's/^/    /'

stop "$PROM"
stop "$AGENT"
check "agent exits 0 on SIGTERM" test $? -eq 0
finish
