#!/usr/bin/env python3
"""Accuracy of sockscan's findings against hand-made expectations.

  sockscan_score.py fixtures ACTUAL.json EXPECTED.json
      the fixture tree: expected.json, field by field
  sockscan_score.py wants ACTUAL.json ROOT
      a tree whose socket lines end with "want: DIR PROTO HOST PORT"
  sockscan_score.py annotated ANNOTATIONS PACKAGES_DIR SOCKSCAN [OPTIONS...]
      a corpus annotated in a separate file (bench-corpus/python): runs
      SOCKSCAN on each package's dist-packages and scores it

Prints one JSON object. Detection rate: annotated sites found; false
classification rate: (misclassified + findings on unannotated lines) /
findings; ports resolved: of the sites whose annotation fixes a port,
those found with that port.
"""
import json, os, re, subprocess, sys

FIELDS = ["direction", "protocol", "app_protocol", "host", "port", "binding"]


def rate(a, b):
    return round(a / b, 4) if b else None


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
        "detection_rate": rate(len(found), len(want)),
        "false_classification_rate": rate(len(wrong) + len(extra), len(got)),
    }


def matches(f, direction, proto, host, port):
    """Does finding f agree with one annotation?"""
    ok = f["direction"] == direction and (proto == "?" or f["protocol"] == proto)
    if host == "?":
        ok = ok and f["resolution"] == "dynamic"
    elif host == "*":
        ok = ok and f["host"] in (None, "0.0.0.0", "::")
    else:
        ok = ok and f["host"] == host
    if port != "?":
        ok = ok and str(f["port"]) == port
    return ok


def score(want, ignored, findings):
    """want: {(file, line): (dir, proto, host, port)}; findings: report findings."""
    got = {}
    for f in findings:
        got.setdefault((f["file"], f["line"]), f)
    misses, wrong = [], []
    fixed = ports_ok = 0
    for k, ann in sorted(want.items()):
        f = got.get(k)
        if ann[3] != "?":
            fixed += 1
        if not f:
            misses.append("%s:%d" % k)
            continue
        if ann[3] != "?" and str(f["port"]) == ann[3]:
            ports_ok += 1
        if not matches(f, *ann):
            wrong.append("%s:%d" % k)
    extra = ["%s:%d" % k for k in sorted(got) if k not in want and k not in ignored]
    reported = len([k for k in got if k not in ignored])
    found = len(want) - len(misses)
    return {
        "annotated": len(want), "reported": reported, "found": found,
        "misclassified": len(wrong), "false_positives": len(extra),
        "detection_rate": rate(found, len(want)),
        "false_classification_rate": rate(len(wrong) + len(extra), reported),
        "ports_fixed_in_code": fixed, "ports_resolved": ports_ok,
        "ports_resolved_rate": rate(ports_ok, fixed),
        "misses": misses, "misclassified_at": wrong, "false_positives_at": extra,
    }


WANT = re.compile(r"want:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)")


def wants(actual_path, root):
    want = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith((".go", ".py", ".cgi")):
                continue
            path = os.path.join(dirpath, name)
            for n, line in enumerate(open(path, errors="replace"), 1):
                m = WANT.search(line)
                if m:
                    want[(os.path.relpath(path, root), n)] = m.groups()
    return score(want, set(), json.load(open(actual_path))["findings"])


DIST = "usr/lib/python3/dist-packages"


def package_path(root, sub, name):
    """Where file NAME of directory SUB of package ROOT really is, as the
    annotations name it: a file reached through a symlink (supysonic's
    dist-packages/supysonic -> ../../../share/supysonic) is the file it
    points to, so that it is scored once, at its one path."""
    real = os.path.relpath(os.path.realpath(os.path.join(root, sub, name)),
                           os.path.realpath(root))
    if real.startswith(".."):
        real = os.path.join(sub, name)
    return real[len(DIST) + 1:] if real.startswith(DIST + "/") else real


def annotated(ann_path, pkgdir, scan, *opts):
    """PATH is relative to the package's dist-packages, or, when it starts
    with usr/, to the package's root: that file's directory is scanned too."""
    want, ignored, versions, extra = {}, set(), {}, {}
    for line in open(ann_path):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        pkg, ver, where = parts[:3]
        path, lineno = where.rsplit(":", 1)
        key = ("%s/%s" % (pkg, path), int(lineno))
        versions[pkg] = ver
        if path.startswith("usr/"):
            extra.setdefault(pkg, set()).add(os.path.dirname(path))
        if parts[3] == "ignore":
            ignored.add(key)
        else:
            want[key] = tuple(parts[3:7])
    findings, crashed = [], []
    for pkg, ver in sorted(versions.items()):
        root = os.path.join(pkgdir, pkg)
        have = open(os.path.join(root, ".version")).read().strip()
        if have != ver:
            sys.exit("sockscan_score: %s is %s, annotations are for %s" % (pkg, have, ver))
        for sub in [DIST] + sorted(extra.get(pkg, ())):
            if sub == DIST and extra.get(pkg) and not os.path.isdir(os.path.join(root, sub)):
                continue  # all its code is elsewhere (sipvicious: usr/share/...)
            out = subprocess.run([scan, *opts, os.path.join(root, sub)], capture_output=True)
            if out.returncode not in (0, 1):
                # a crash loses every finding of the package: scored as such
                crashed.append("%s (exit %d)" % (pkg, out.returncode))
                continue
            for f in json.loads(out.stdout)["findings"]:
                f["file"] = "%s/%s" % (pkg, package_path(root, sub, f["file"]))
                findings.append(f)
    result = score(want, ignored, findings)
    result["crashed"] = crashed
    return result


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    print(json.dumps({"fixtures": fixtures, "wants": wants, "annotated": annotated}[mode](*args)))
