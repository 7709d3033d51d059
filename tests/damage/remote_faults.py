#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
The "remote faults" class of the damage campaign (issue #16).

One fault is moved through every request of a remote run: the default job
(-w, --json, -o) reads a fixture by URL from nginx on 127.0.0.1 through
tests/e2e/faultproxy.py, whose /atN-KIND-TAG/ mode hits the N-th request:

  once:        503, trunc (body cut, connection closed), short (a consistent
               206 for half the bytes), drop (connection closed, no answer)
  from N on:   down (503), norange (200 with the whole object), etag (changed)

Outcome classes: **identical** (exit, pcap, mini.core and report equal to the
local run: a retry hid the fault), **named error** (exit 3, the message names
the URL and the fault), and the failures: **silent change** (exit 0/1 with
different output), **unnamed error**, **crash**, **hang** (60 s).  One-shot
faults must come out identical; persistent ones a named error (identical when
N is past the run's last request).

  remote_faults.py --work DIR --fixtures FX --skbfilter BIN [--jobs 2]
                   [--sample K] [--report FILE]

--sample K runs K cases picked at random (the e2e test); without it every
request of every run is hit with every kind.  --report splices a section
between <!-- remote-faults:begin/end --> into FILE.  Prints the usual
"N passed, N failed" line; exits non-zero on a failure.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "bench"))
import remote as rbench  # noqa: E402  (start_servers / stop: nginx + faultproxy on loopback)

ONCE = ("503", "trunc", "short", "drop")
PERSIST = ("down", "norange", "etag")
FAULT_WORDS = ("gave up after", "ignored the Range header", "object changed during the run", "HTTP 5")
BEGIN, END = "<!-- remote-faults:begin -->", "<!-- remote-faults:end -->"


def norm_json(path, names):
    try:
        t = open(path).read()
    except OSError:
        return None
    for n in names:
        t = t.replace(n, "X")
    return re.sub(r'"(file|pcap|pcapng|minicore|json|path)": "[^"]*"', r'"\1": "X"', t)


def run_job(skb, target, d, timeout=60):
    os.makedirs(d, exist_ok=True)
    outs = [os.path.join(d, f) for f in ("o.pcap", "m.core", "r.json")]
    for f in outs:
        if os.path.exists(f):
            os.unlink(f)
    argv = [skb, "-v", "-q", "--force", "-w", outs[0], "-o", outs[1], "--json", outs[2], target]
    t0 = time.monotonic()
    try:
        r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
        rc, err = r.returncode, r.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        rc, err = None, ""
    res = {"rc": rc, "err": err, "sec": time.monotonic() - t0}
    for f in outs[:2]:
        res[os.path.basename(f)] = open(f, "rb").read() if os.path.exists(f) else None
    res["json"] = norm_json(outs[2], [target, os.path.dirname(target) + "/"])
    m = re.search(r"http: (\d+) requests", err)
    res["requests"] = int(m.group(1)) if m else 0
    return res


def classify(kind, n, res, base):
    rc = res["rc"]
    if rc is None:
        return "hang", "no exit in 60 s"
    if rc < 0 or rc > 3 or "Sanitizer" in res["err"] or "runtime error" in res["err"]:
        return "crash", res["err"][-300:]
    if rc in (0, 1):
        same = (rc == base["rc"] and res["o.pcap"] == base["o.pcap"] and res["m.core"] == base["m.core"]
                and res["json"] == base["json"])
        if not same:
            return "silent change", "exit %d with output different from the local run" % rc
        if kind in PERSIST and n <= base["requests"]:
            return "silent change", "a persistent fault at request %d left no trace" % n
        return "identical", ""
    msg = [l for l in res["err"].splitlines() if l.startswith("skbfilter: error: ")]
    if rc == 3 and msg and any(w in msg[-1] for w in FAULT_WORDS):
        if kind in ONCE:
            return "unnamed error", "a one-shot fault was not retried: " + msg[-1][:200]
        return "named error", ""
    return "unnamed error", (msg[-1] if msg else res["err"][-200:])[:300]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--fixtures", default=os.environ.get("SKBFILTER_FIXTURES", os.path.join(TOP, "../shared/fixtures")))
    ap.add_argument("--skbfilter", default=os.path.join(TOP, "skbfilter"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--report")
    a = ap.parse_args()
    skb = os.path.abspath(a.skbfilter)
    www = os.path.join(a.work, "www")
    os.makedirs(www, exist_ok=True)
    inputs = []
    for name, rel in (("tx.kdump-zlib", "tx-vxlan-tcp/vmcore.kdump-zlib"),
                      ("arm64.kdump-lzo", "arm64-tx-vxlan-tcp/vmcore.kdump-lzo")):
        p = os.path.join(a.fixtures, rel)
        if os.path.exists(p):
            if not os.path.exists(os.path.join(www, name)):
                os.symlink(p, os.path.join(www, name))
            inputs.append(name)
        if a.sample:
            break  # the e2e sample: one input
    zst = os.path.join(a.fixtures, "seed-gso-mismatch/vmcore-d31.elf.zst")
    if not a.sample and os.path.exists(zst):
        out = os.path.join(www, "seed-d31.elf")
        if not os.path.exists(out):
            subprocess.run(["zstd", "-q", "-d", "--long=31", "-f", "-o", out, zst], check=True)
        inputs.append("seed-d31.elf")
    if not inputs:
        print("skip remote faults: no fixtures at %s" % a.fixtures)
        print("0 passed, 0 failed, 1 skipped")
        return 0
    procs, port, pport = rbench.start_servers(www, os.path.join(a.work, "httpd"))
    rng = random.Random(a.seed)
    stats, fails, ncase = {}, [], 0
    t0 = time.monotonic()
    try:
        cases = []
        bases = {}
        for name in inputs:
            base = run_job(skb, os.path.join(www, name), os.path.join(a.work, "base-" + name))
            clean = run_job(skb, "http://127.0.0.1:%d/ok/%s" % (pport, name), os.path.join(a.work, "clean-" + name))
            base["requests"] = clean["requests"]
            bases[name] = base
            for kind in ONCE + PERSIST:
                for n in range(1, clean["requests"] + 2):
                    cases.append((name, kind, n))
        if a.sample:
            cases = rng.sample(cases, min(a.sample, len(cases)))

        def one(i, c):
            name, kind, n = c
            url = "http://127.0.0.1:%d/at%d-%s-r%d/%s" % (pport, n, kind, i, name)
            d = os.path.join(a.work, "case%d" % i)
            res = run_job(skb, url, d)
            shutil.rmtree(d, ignore_errors=True)
            # outputs compared against the local run with the URL's own names normalised
            res["json"] = res["json"].replace(url, "X") if res["json"] else res["json"]
            return c, classify(kind, n, res, bases[name])

        for name in bases:
            b = bases[name]
            b["json"] = b["json"].replace(os.path.join(www, name), "X") if b["json"] else b["json"]
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            futs = []
            for i, c in enumerate(cases):
                futs.append(ex.submit(one, i, c))
            for f in futs:
                (name, kind, n), (cls, why) = f.result()
                ncase += 1
                stats.setdefault((name, kind), {}).setdefault(cls, 0)
                stats[(name, kind)][cls] += 1
                if cls not in ("identical", "named error"):
                    fails.append("%s %s at request %d: %s: %s" % (name, kind, n, cls, why))
    finally:
        rbench.stop(procs)
    elapsed = time.monotonic() - t0
    for f in fails[:20]:
        print("FAIL remote fault %s" % f)
    for (name, kind), st in sorted(stats.items()):
        print("%s remote faults %s %s: %s" % ("FAIL" if any(c not in ("identical", "named error") for c in st) else "ok  ",
                                              name, kind, ", ".join("%d %s" % (v, k) for k, v in sorted(st.items()))))
    if a.report:
        L = [BEGIN, "## Remote faults\n",
             "`tests/damage/remote_faults.py` (seed %d, %.0f s): the default job reads each input by URL from nginx on "
             "127.0.0.1 through `tests/e2e/faultproxy.py`, which puts one fault on the N-th request, for every N "
             "from 1 to one past the clean run's last request. One-shot faults (503, truncated body, short 206, "
             "dropped connection) must be hidden by the retries (*identical*: same exit, pcap, mini.core and "
             "report as the local file); persistent ones (503 from N on, Range ignored, ETag changed) must be a "
             "*named error* (exit 3 naming the URL and the fault). %d cases, %d failures.\n" % (a.seed, elapsed, ncase, len(fails)),
             "| input | fault | identical | named error | failures |", "|---|---|---:|---:|---:|"]
        for (name, kind), st in sorted(stats.items()):
            L.append("| %s | %s | %d | %d | %d |" % (name, kind, st.get("identical", 0), st.get("named error", 0),
                                                     sum(v for k, v in st.items() if k not in ("identical", "named error"))))
        L.append(END)
        text = open(a.report).read() if os.path.exists(a.report) else ""
        sec = "\n".join(L) + "\n"
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + sec + text[text.index(END) + len(END) + 1:]
        else:
            text = text.rstrip("\n") + "\n\n" + sec
        open(a.report, "w").write(text)
    print("%d passed, %d failed" % (ncase - len(fails), len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
