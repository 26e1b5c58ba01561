#!/usr/bin/env bash
# Validate the deployment files: the Prometheus config and rules with
# promtool (rules also by their unit tests), the systemd unit with
# systemd-analyze, every YAML document with js-yaml (the system's, or else
# installed from npm into a scratch directory, never into the tree), the
# Grafana dashboard's structure. tests/e2e/test_deploy.sh runs this, then checks every metric
# the rules and the dashboard name against a real agent's scrape.
# Prints one line per check and "deploy: N passed, N failed".
set -u
cd "$(dirname "$0")"
tmp=$(mktemp -d /tmp/sw-deploy.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() {
	local d=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		pass=$((pass + 1))
		echo "  ok   $d"
	else
		fail=$((fail + 1))
		echo "  FAIL $d"
		sed 's/^/       /' "$tmp/out"
	fi
}

# promtool insists that credentials files exist: point them at a scratch one
promtool_check() {
	echo sometoken >"$tmp/token"
	sed -e "s#/etc/prometheus/sockwatch.token#$tmp/token#" \
		prometheus.yml >"$tmp/prometheus.yml"
	promtool check config "$tmp/prometheus.yml"
}

# systemd-analyze wants ExecStart to exist: a stand-in binary
unit_check() {
	sed -e "s#/usr/local/sbin/sockwatch#/bin/true#" sockwatch.service \
		>"$tmp/sockwatch.service"
	systemd-analyze verify "$tmp/sockwatch.service"
}

# js-yaml: the system's (Debian's node-js-yaml, as in the test-kernels
# guest, which has no network) or else from npm into $tmp
yaml_check() {
	node -e 'require("js-yaml")' 2>/dev/null ||
		(cd "$tmp" && npm install --silent --no-audit --no-fund js-yaml@4 >/dev/null) ||
		return 1
	NODE_PATH="$tmp/node_modules" node -e '
		const yaml = require("js-yaml"), fs = require("fs");
		for (const f of process.argv.slice(1)) {
			const docs = yaml.loadAll(fs.readFileSync(f, "utf8"));
			for (const d of docs)
				if (!d || typeof d !== "object")
					throw new Error(f + ": empty or scalar document");
			console.log(f + ": " + docs.length + " document(s)");
		}' "$@"
}

# The DaemonSet's objects: kinds, and the settings the agent depends on.
daemonset_check() {
	NODE_PATH="$tmp/node_modules" node -e '
		const yaml = require("js-yaml"), fs = require("fs");
		const docs = yaml.loadAll(fs.readFileSync(process.argv[1], "utf8"));
		const ds = docs.find(d => d.kind === "DaemonSet");
		const p = ds.spec.template.spec, c = p.containers[0];
		const must = (ok, what) => { if (!ok) throw new Error(what); };
		must(p.hostPID && p.hostNetwork, "hostPID and hostNetwork");
		must(c.securityContext.privileged, "privileged");
		must(c.args.includes("--token-file"), "token file with hostNetwork");
		must(c.livenessProbe.httpGet.path === "/healthz", "liveness /healthz");
		must(c.readinessProbe.httpGet.path === "/healthz", "readiness /healthz");
		const tok = p.volumes.find(v => v.secret);
		must(tok && tok.secret.defaultMode === 0o400, "token mode 0400");
		const wc = c.args.indexOf("--web-config");
		must(wc >= 0 && c.args[wc + 1].startsWith("/etc/sockwatch/web/"), "--web-config from the web Secret");
		const web = p.volumes.find(v => v.secret && v.secret.secretName === "sockwatch-web");
		must(web && web.secret.defaultMode === 0o400, "web Secret mode 0400");
		must(c.volumeMounts.some(v => v.name === web.name && v.mountPath === "/etc/sockwatch/web"), "web Secret mounted");
		must(c.livenessProbe.httpGet.scheme === "HTTPS" && c.readinessProbe.httpGet.scheme === "HTTPS", "probes over HTTPS");
		const ann = ds.spec.template.metadata.annotations;
		must(ann["prometheus.io/scrape"] === "true", "scrape annotation");
		for (const m of ["/sys/fs/bpf", "/sys/kernel/debug", "/sys/kernel/tracing"])
			must(c.volumeMounts.some(v => v.mountPath === m), "mount " + m);
	' kubernetes/daemonset.yaml
}

# The dashboard as Grafana needs it: unique panel ids, panels inside the
# 24-column grid, every target a PromQL expression on the datasource
# variable, the variables it refers to defined.
dashboard_check() {
	node -e '
		const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const must = (ok, what) => { if (!ok) throw new Error(what); };
		must(d.title && d.uid && d.schemaVersion >= 30, "title, uid, schemaVersion");
		const vars = new Set(d.templating.list.map(v => v.name));
		must(vars.has("datasource") && vars.has("instance"), "datasource and instance variables");
		const ids = new Set();
		let queries = 0;
		for (const p of d.panels) {
			must(!ids.has(p.id), "duplicate panel id " + p.id);
			ids.add(p.id);
			const g = p.gridPos;
			must(g && g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0, "panel " + p.id + " gridPos");
			if (p.type === "row")
				continue;
			must(p.title, "panel " + p.id + " title");
			must(p.datasource && p.datasource.uid === "${datasource}", "panel " + p.id + " datasource");
			must(p.targets && p.targets.length, "panel " + p.id + " targets");
			for (const t of p.targets) {
				must(typeof t.expr === "string" && /sockwatch_/.test(t.expr), "panel " + p.id + " expr");
				must(/\$instance/.test(t.expr), "panel " + p.id + " filters by $instance");
				queries++;
			}
		}
		console.log(ids.size + " panels, " + queries + " queries");
	' grafana/sockwatch-dashboard.json
}

check "prometheus.yml passes promtool check config" promtool_check
check "sockwatch-rules.yml passes promtool check rules" promtool check rules sockwatch-rules.yml
check "sockwatch-rules.yml passes its unit tests (promtool test rules)" promtool test rules sockwatch-rules.test.yml
check "the Grafana dashboard is well formed" dashboard_check
check "sockwatch.service passes systemd-analyze verify" unit_check
check "YAML files parse" yaml_check prometheus.yml sockwatch-rules.yml sockwatch-rules.test.yml kubernetes/*.yaml kubernetes/*.yml
check "DaemonSet has what the agent needs" daemonset_check
echo "deploy: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
