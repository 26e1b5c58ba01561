#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""
The soak: `sockwatch agent` for MINUTES while a workload keeps many sockets
open and churns more, then a verdict. Run by `make soak SOAK_MINUTES=N`
(tools/soak/README.md); needs root (the agent loads BPF programs).

Workload, all of it started and stopped here:
  - holdsocks: SOCKETS loopback TCP sockets (established pairs), held for
    the whole run, spread over worker processes;
  - TCP and UDP churn: tools/workload/churn processes, one after another
    (each a new process that connects, exchanges and closes at full speed,
    then exits);
  - a network namespace created every minute, churned in, and deleted.

Every minute (a "round"): the churn is paused (SIGSTOP), the agent is given
two reconciliations with the kernel, then its table is compared with `ss`
for every process of the workload, per TCP state and for UDP. Sockets that
no process holds (TIME_WAIT, orphans) have no owner in `ss` and are left
out on both sides. Then the churn resumes. Each round samples the agent's
RSS and open fds, its drop and repair counters.

Exit status: 0, or 1 when any round drifted (a count differing after
reconciliation), RSS grew without bound (over the second half of the run
more than max(10 %, 16 MiB) and still rising), the fd count grew, or the
agent died. One line per round and a summary, on stdout; --json FILE
writes them too.
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Agent:
    def __init__(self, sw, tmp, reconcile, event_buffer):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        conf = os.path.join(tmp, "soak.ini")
        with open(conf, "w") as f:
            f.write("[agent]\nreconcile_seconds = %g\nevent_buffer = %s\n" % (reconcile, event_buffer))
        self.err_path = os.path.join(tmp, "agent.err")
        self.err = open(self.err_path, "w")
        self.out = open(os.path.join(tmp, "agent.out"), "w")
        # The agent at the usual priority even when the soak runs niced
        # (as it should on a shared machine): a starved agent measures the
        # machine, not itself. The workload keeps the soak's niceness.
        self.proc = subprocess.Popen(
            [sw, "agent", "--listen", "127.0.0.1:%d" % self.port, "--config", conf],
            stdout=self.out, stderr=self.err,
            preexec_fn=lambda: os.setpriority(os.PRIO_PROCESS, 0, 0))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("soak: the agent exited at start:\n" + open(self.err_path).read())
            if "info: ready in" in open(self.err_path).read():
                return
            time.sleep(0.1)
        raise SystemExit("soak: the agent did not get ready in 120 s")

    def get(self, path):
        """GET path; an answer slower than 120 s is a failure of the
        round (SlowAPI), not of the soak."""
        t = time.monotonic()
        try:
            with urllib.request.urlopen(self.base + path, timeout=120) as r:
                doc = json.load(r)
        except OSError as e:
            raise SlowAPI("%s: no answer in %.0f s (%s)" % (path, time.monotonic() - t, e))
        self.slowest = max(getattr(self, "slowest", 0), time.monotonic() - t)
        return doc

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.proc.pid))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                return self.proc.wait()
        return self.proc.returncode


class SlowAPI(Exception):
    pass


class Churn(threading.Thread):
    """churn processes one after another until stopped; pause() stops the
    current one and the loop (SIGSTOP), resume() lets them go on."""

    def __init__(self, churn, args):
        super().__init__(daemon=True)
        self.cmd = [churn] + args
        self.cur = None
        self.runs = 0
        self.done = threading.Event()
        self.go = threading.Event()
        self.go.set()
        self.lock = threading.Lock()

    def run(self):
        while not self.done.is_set():
            self.go.wait()
            with self.lock:
                if self.done.is_set():
                    break
                self.cur = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
            self.cur.wait()
            self.runs += 1

    def pause(self):
        with self.lock:
            self.go.clear()
            if self.cur and self.cur.poll() is None:
                self.cur.send_signal(signal.SIGSTOP)
                return self.cur.pid
        return None

    def resume(self):
        with self.lock:
            if self.cur and self.cur.poll() is None:
                self.cur.send_signal(signal.SIGCONT)
            self.go.set()

    def stop(self):
        self.done.set()
        self.go.set()
        with self.lock:
            if self.cur and self.cur.poll() is None:
                self.cur.send_signal(signal.SIGCONT)
                self.cur.terminate()
        self.join(30)


USERS = re.compile(r'pid=(\d+),fd=')


def ss_counts(pids):
    """{pid: {STATE or 'UDP': n}} from ss, for sockets with exactly one
    owning process among pids (in this network namespace)."""
    out = {}
    for proto, args in (("tcp", ["-Htanp"]), ("udp", ["-Huanp"])):
        text = subprocess.run(["ss"] + args, capture_output=True, text=True).stdout
        for line in text.splitlines():
            owners = set(int(p) for p in USERS.findall(line))
            if len(owners) != 1:
                continue
            pid = owners.pop()
            if pid not in pids:
                continue
            if proto == "udp":
                key = "UDP"
            else:
                key = SS_STATE.get(line.split(None, 1)[0], line.split(None, 1)[0])
                if key == "CLOSE":
                    continue
            d = out.setdefault(pid, {})
            d[key] = d.get(key, 0) + 1
    return out


# ss's state names to the agent's
SS_STATE = {
    "ESTAB": "ESTABLISHED", "LISTEN": "LISTEN", "SYN-SENT": "SYN_SENT",
    "SYN-RECV": "SYN_RECV", "FIN-WAIT-1": "FIN_WAIT1", "FIN-WAIT-2": "FIN_WAIT2",
    "TIME-WAIT": "TIME_WAIT", "CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK",
    "CLOSING": "CLOSING", "UNCONN": "CLOSE", "CLOSED": "CLOSE",
}


def agent_counts(agent, held, paused):
    """The agent's {pid: {STATE or 'UDP': n}}: the held processes from
    /api/v1/processes; the paused churn processes socket by socket, leaving
    out what no listing (ss's included) can show: a TCP socket never bound
    or connected (CLOSE) and an unbound UDP socket."""
    out = {}
    for p in agent.get("/api/v1/processes")["processes"]:
        if p["pid"] not in held:
            continue
        tcp = p.get("tcp", {})
        d = {k: v for k, v in tcp.items() if k != "TIME_WAIT"}
        # every UDP socket, whatever state the table holds for it
        udp = p["open"] - sum(tcp.values())
        if udp:
            d["UDP"] = udp
        if d:
            out[p["pid"]] = d
    for pid in paused:
        for s in agent.get("/api/v1/sockets?limit=100000&pid=%d" % pid)["sockets"]:
            if s["proto"] == "udp":
                if s["lport"] == 0:
                    continue
                key = "UDP"
            elif s["state"] in ("TIME_WAIT", "CLOSE", "NONE"):
                continue
            else:
                key = s["state"]
            d = out.setdefault(pid, {})
            d[key] = d.get(key, 0) + 1
    return out


def diff(a, b):
    """Sum of |a - b| over every (pid, state), and the first differences."""
    total, shown = 0, []
    for pid in set(a) | set(b):
        x, y = a.get(pid, {}), b.get(pid, {})
        for k in set(x) | set(y):
            if k == "TIME_WAIT":
                continue
            d = abs(x.get(k, 0) - y.get(k, 0))
            if d:
                total += d
                if len(shown) < 5:
                    shown.append("pid %d %s: ss %d agent %d" % (pid, k, x.get(k, 0), y.get(k, 0)))
    return total, shown


def child_pids(pid):
    """pid and its descendants (holdsocks' workers)."""
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        out.add(p)
        try:
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def wait_reconciles(agent, n, limit):
    start = agent.get("/api/v1/status")["reconciliations"]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if agent.get("/api/v1/status")["reconciliations"] >= start + n:
            return True
        time.sleep(0.2)
    return False


def netns_cycle(tag, i, churn, log):
    """A namespace, churn inside it for 20 s, then deleted with the
    churn still running: the agent must forget it without harm."""
    name = "swsoak-%s-%d" % (tag, i)
    if subprocess.run(["ip", "netns", "add", name]).returncode:
        log("netns %s: cannot create" % name)
        return
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"])
        p = subprocess.Popen(["ip", "netns", "exec", name, churn, "-n", "100000000", "-t", "25"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(20)
        subprocess.run(["ip", "netns", "del", name])	# while churning
        p.terminate()
        p.wait(30)
    finally:
        subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)


def slope(xs, ys):
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0


def compare_round(agent, a, i, start, held, paused, churns):
    """One round, the churn paused: two reconciliations, then the agent's
    counts against ss (up to 3 tries, one reconciliation apart)."""
    rec_ok = wait_reconciles(agent, 2, 10 * a.reconcile + 30)
    pids = held | paused
    drift, shown = 0, []
    for attempt in range(3):
        ss = ss_counts(pids)
        ag = agent_counts(agent, held, paused)
        drift, shown = diff(ss, ag)
        if not drift:
            break
        # a socket caught between the two reads: once more after the
        # next reconciliation
        wait_reconciles(agent, 1, 10 * a.reconcile + 30)
    st = agent.get("/api/v1/status")
    return {
        "round": i, "t": round(time.monotonic() - start, 1),
        "sockets_compared": sum(sum(d.values()) for d in ss.values()),
        "drift": drift, "reconciled": rec_ok, "shown": shown,
        "events": st["events_total"], "dropped": st["events_dropped"],
        "repairs": st["reconciliation_repairs"], "reconciliations": st["reconciliations"],
        "table": st["sockets"], "rss_kb": agent.rss_kb(), "fds": agent.fds(),
        "churn_runs": sum(c.runs for c in churns),
        "slowest_api_s": round(getattr(agent, "slowest", 0), 1),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 10)))
    ap.add_argument("--sockets", type=int, default=int(os.environ.get("SOAK_SOCKETS", 100000)))
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--reconcile", type=float, default=10.0, help="agent reconcile_seconds (its default)")
    ap.add_argument("--event-buffer", default=os.environ.get("SOAK_EVENT_BUFFER", "ring"),
                    choices=("ring", "perf"), help="agent event_buffer (ring, its default, or perf)")
    ap.add_argument("--json", help="write rounds and summary here")
    a = ap.parse_args()
    os.chdir(ROOT)
    # SIGTERM (make, CI, a user) stops the run cleanly: the finally below
    # stops the workload, deletes the namespace and the agent
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sw = os.path.join(a.build, "sockwatch")
    hold = os.path.join(a.build, "tools", "holdsocks")
    churn = os.path.join(a.build, "tools", "churn")
    tag = str(os.getpid())
    t0 = time.monotonic()

    def log(msg):
        print("soak %6.1fs: %s" % (time.monotonic() - t0, msg), flush=True)

    tmp = tempfile.mkdtemp(prefix="sw-soak.")
    agent = Agent(sw, tmp, a.reconcile, a.event_buffer)
    log("agent pid %d ready, API %s" % (agent.proc.pid, agent.base))
    procs, churns, rounds, fails = [], [], [], []
    try:
        holder = subprocess.Popen([hold, "-n", str(a.sockets), "-t", str(int(a.minutes * 60) + 600)],
                                  stdout=subprocess.PIPE, text=True)
        procs.append(holder)
        line = holder.stdout.readline()
        if not line.startswith("ready"):
            raise SystemExit("soak: holdsocks did not get ready: %r" % line)
        held = child_pids(holder.pid)
        log("holdsocks: %s sockets in %d processes" % (line.split()[1], len(held)))
        churns = [Churn(churn, ["-n", "2000", "-t", "60"]),
                  Churn(churn, ["--udp", "-n", "2000", "-t", "60"])]
        for c in churns:
            c.start()
        ns_thread = None
        start = time.monotonic()
        i = 0
        while time.monotonic() - start < a.minutes * 60:
            i += 1
            if ns_thread is None or not ns_thread.is_alive():
                ns_thread = threading.Thread(target=netns_cycle, args=(tag, i, churn, log), daemon=True)
                ns_thread.start()
            # a minute of load, or what is left of the run
            end = min(start + i * 60, start + a.minutes * 60)
            while time.monotonic() < end:
                time.sleep(1)
                if agent.proc.poll() is not None:
                    raise SystemExit("soak: the agent died (exit %s)" % agent.proc.returncode)
            paused = set(p for p in (c.pause() for c in churns) if p)
            try:
                r = compare_round(agent, a, i, start, held, paused, churns)
            except SlowAPI as e:
                r = None
                fails.append("round %d: the API did not answer: %s" % (i, e))
                log("round %d: the API did not answer: %s" % (i, e))
            for c in churns:
                c.resume()
            if r is None:
                continue
            rounds.append(r)
            log("round %(round)d: compared %(sockets_compared)d sockets, drift %(drift)d; "
                "events %(events)d, dropped %(dropped)d, repairs %(repairs)d; table %(table)d; "
                "RSS %(rss_kb)d KiB, fds %(fds)d; churn processes %(churn_runs)d; "
                "slowest API answer %(slowest_api_s).1f s" % r)
            for s_ in r.pop("shown"):
                log("  drift: " + s_)
            if r["drift"]:
                fails.append("round %d: drift %d after reconciliation" % (i, r["drift"]))
            if not r["reconciled"]:
                fails.append("round %d: no reconciliation within the deadline" % i)
    finally:
        for c in churns:
            c.stop()
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(60)
                except subprocess.TimeoutExpired:
                    p.kill()
        rc = agent.stop()
        # a namespace cycle cut short by the end of the run
        for name in subprocess.run(["ip", "netns", "list"], capture_output=True,
                                   text=True).stdout.split():
            if name.startswith("swsoak-%s-" % tag):
                subprocess.run(["ip", "netns", "del", name])
    # growth: over the second half of the rounds (after the table filled)
    half = rounds[len(rounds) // 2:] if len(rounds) >= 4 else rounds[1:]
    xs = [r["t"] / 60 for r in half]
    rss_slope = slope(xs, [r["rss_kb"] for r in half])
    fd_slope = slope(xs, [r["fds"] for r in half])
    if len(half) >= 3:
        grew = half[-1]["rss_kb"] - half[0]["rss_kb"]
        if grew > max(half[0]["rss_kb"] // 10, 16384) and rss_slope > 0:
            fails.append("RSS grew %d KiB over the second half (%.0f KiB/min)" % (grew, rss_slope))
        if half[-1]["fds"] > half[0]["fds"] + 4:
            fails.append("open fds grew from %d to %d" % (half[0]["fds"], half[-1]["fds"]))
    if rc != 0:
        fails.append("agent exited %s on SIGTERM" % rc)
    errs = [l for l in open(agent.err_path) if "info:" not in l and "health_changed" not in l]
    summary = {
        "minutes": a.minutes, "sockets": a.sockets, "rounds": len(rounds),
        "max_drift": max((r["drift"] for r in rounds), default=None),
        "dropped": rounds[-1]["dropped"] if rounds else None,
        "repairs": rounds[-1]["repairs"] if rounds else None,
        "events": rounds[-1]["events"] if rounds else None,
        "rss_kb_first_last": [rounds[0]["rss_kb"], rounds[-1]["rss_kb"]] if rounds else None,
        "rss_slope_kb_per_min": round(rss_slope, 1), "fd_slope_per_min": round(fd_slope, 2),
        "agent_exit": rc, "agent_stderr_other_lines": len(errs), "failures": fails,
    }
    print("soak summary: " + json.dumps(summary), flush=True)
    for l in errs[:10]:
        print("  agent: " + l.rstrip())
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rounds": rounds, "summary": summary}, f, indent=1)
    subprocess.run(["rm", "-rf", tmp])
    if fails:
        print("soak: FAILED: " + "; ".join(fails))
        return 1
    print("soak: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
