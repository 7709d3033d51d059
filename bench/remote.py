#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
bench/remote.py: the remote-input rows of docs/performance.md (issue #16).

The 1 TiB-scaled kdump (bench/mkscaled.py, --filler excluded: what
`makedumpfile -d 31` writes for a 1 TiB machine) is served by nginx on
127.0.0.1; tests/e2e/faultproxy.py in front of it adds 0, 20 or 50 ms to every
request.  For the default job and --info it records requests, dependent round
trips and bytes (skbfilter -v), wall time and peak RSS (/usr/bin/time -v),
and compares with copying the dump over the same link first.

  remote.py --work DIR --doc docs/performance.md --fixtures FX --skbfilter BIN [--runs N]

The section goes between the markers <!-- remote:begin --> and
<!-- remote:end --> of --doc (appended when absent), so it can be refreshed
alone.  Every server is started here, on loopback, and stopped on exit.
"""
import argparse
import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BEGIN, END = "<!-- remote:begin -->", "<!-- remote:end -->"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def start_servers(www, d):
    os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
    port = free_port()
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 256; }}
http {{
	access_log off;
	client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp;
	uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;
	keepalive_requests 100000;
	server {{ listen 127.0.0.1:{port}; root {www}; }}
}}
""".format(d=d, port=port, www=www))
    procs = [subprocess.Popen(["nginx", "-e", os.path.join(d, "error.log"), "-c", conf, "-p", d])]
    if not wait_port(port):
        stop(procs)
        raise RuntimeError("nginx did not start")
    pf = os.path.join(d, "proxy.port")
    if os.path.exists(pf):
        os.unlink(pf)
    procs.append(subprocess.Popen([sys.executable, os.path.join(TOP, "tests/e2e/faultproxy.py"),
                                   "--upstream", "http://127.0.0.1:%d" % port, "--port-file", pf]))
    for _ in range(100):
        if os.path.exists(pf):
            break
        time.sleep(0.1)
    pport = int(open(pf).read())
    if not wait_port(pport):
        stop(procs)
        raise RuntimeError("faultproxy did not start")
    return procs, port, pport


def stop(procs):
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def timed(argv):
    """Runs argv under /usr/bin/time -v: (wall s, peak RSS KiB, stderr text, exit)."""
    t0 = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=600)
    wall = time.monotonic() - t0
    err = r.stderr.decode(errors="replace")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    u = re.search(r"User time \(seconds\): ([\d.]+)", err)
    s = re.search(r"System time \(seconds\): ([\d.]+)", err)
    cpu = float(u.group(1)) + float(s.group(1)) if u and s else None
    return wall, int(m.group(1)) if m else 0, err, r.returncode, cpu


def http_counts(err):
    m = re.search(r"http: (\d+) requests, (\d+) round trips, ([\d.]+) KiB received, \d+ retries, ([\d.]+) s waiting", err)
    return (int(m.group(1)), int(m.group(2)), float(m.group(3)) / 1024, float(m.group(4))) if m else (None,) * 4


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def copy_time(url, dst):
    t0 = time.monotonic()
    subprocess.run(["curl", "-sf", "-o", dst, url], check=True, timeout=600)
    return time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--doc", default=os.path.join(TOP, "docs/performance.md"))
    ap.add_argument("--fixtures", default=os.environ.get("SKBFILTER_FIXTURES", os.path.join(TOP, "../shared/fixtures")))
    ap.add_argument("--skbfilter", default=os.path.join(TOP, "skbfilter"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    for tool in ("nginx", "curl", "/usr/bin/time"):
        if not shutil.which(tool):
            print("bench remote: %s missing, section skipped" % tool)
            return 0
    src = os.path.join(a.fixtures, "tx-vxlan-tcp", "vmcore.kdump-zlib")
    if not os.path.exists(src):
        print("bench remote: no fixture %s, section skipped" % src)
        return 0
    www = os.path.join(a.work, "www")
    os.makedirs(www, exist_ok=True)
    dump = os.path.join(www, "tx-1t.kdump")
    subprocess.run([sys.executable, os.path.join(HERE, "mkscaled.py"), "kdump", src, dump, "--ram-gib", "1024",
                    "--filler", "excluded"], check=True, stdout=subprocess.DEVNULL)
    size = os.path.getsize(dump)
    skb = os.path.abspath(a.skbfilter)
    procs, port, pport = start_servers(www, os.path.join(a.work, "httpd"))
    rows = []
    load0 = os.getloadavg()[0]
    try:
        job = ["-v", "-q", "--force", "--json", os.path.join(a.work, "r.json"), "-w", os.path.join(a.work, "r.pcap"),
               "-o", os.path.join(a.work, "r.core")]
        wl = [timed([skb] + job + [dump]) for _ in range(a.runs)]
        local_wall = median([w[0] for w in wl])
        for lat in (0, 20, 50):
            url = "http://127.0.0.1:%d/%s/tx-1t.kdump" % (pport, "lat%d" % lat if lat else "ok")
            for name, args in (("default job", job), ("--info", ["-v", "--info"])):
                ms = [timed([skb] + args + [url]) for _ in range(a.runs)]
                wall = median([m[0] for m in ms])
                rss = max(m[1] for m in ms)
                req, rt, mib, waitsec = http_counts(ms[0][2])
                cpu = median([m[4] for m in ms if m[4] is not None] or [0])
                rows.append((lat, name, req, rt, mib, wall, cpu, waitsec, rss, ms[0][3]))
            cps = [copy_time(url, os.path.join(a.work, "copy.kdump")) for _ in range(a.runs)]
            rows.append((lat, "copy the dump first (curl), then the local job", 1, 1, size / 1048576.0,
                         median(cps) + local_wall, None, None, None, 0))
    finally:
        stop(procs)
    load1 = os.getloadavg()[0]
    L = [BEGIN, "## Remote input (http range requests)\n",
         "Generated by `bench/remote.py` (run by `make bench`) on %s UTC, load average %.1f at the start and %.1f at "
         "the end. The 1 TiB-scaled kdump (`mkscaled.py kdump --ram-gib 1024 --filler excluded`: %.1f MiB, "
         "what `makedumpfile -d 31` writes for a 1 TiB machine) is served by nginx on 127.0.0.1; "
         "`tests/e2e/faultproxy.py` in front of it adds the per-request latency (it reads each response whole "
         "before sending it, so it adds time of its own at 0 ms too). *requests*, *round trips* (a parallel batch "
         "counts once), *MiB fetched* and *waiting* (wall time spent waiting for responses) are skbfilter's own "
         "`-v` counts; *wall* is the median wall time of %d run(s) and *CPU* its user + system time (a loaded "
         "machine inflates wall time much more than CPU time), RSS the largest peak. The copy row is `curl` fetching the whole file through the same proxy, "
         "plus the local default job (%.2f s): on loopback bandwidth is nearly free, so it shows the "
         "floor; at 1 Gbit/s the copy alone would take %.1f s, at 100 Mbit/s %.1f s.\n"
         % (datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), load0, load1, size / 1048576.0, a.runs,
            local_wall, size * 8 / 1e9, size * 8 / 1e8),
         "Goals (issue #16): default job at 50 ms <= 2 s and <= 8 MiB; --info <= 3 round trips.\n",
         "| added latency | command | requests | round trips | MiB fetched | wall | CPU | waiting | peak RSS | exit |",
         "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for lat, name, req, rt, mib, wall, cpu, waitsec, rss, rc in rows:
        L.append("| %d ms | %s | %s | %s | %.1f | %.2f s | %s | %s | %s | %d |" % (
            lat, name, req if req is not None else "-", rt if rt is not None else "-", mib or 0, wall,
            "%.2f s" % cpu if cpu is not None else "-", "%.2f s" % waitsec if waitsec is not None else "-",
            "%.1f MiB" % (rss / 1024.0) if rss else "-", rc))
    r50 = [r for r in rows if r[0] == 50 and r[1] == "default job"]
    if r50 and r50[0][5] > local_wall:
        L.append("\nBreak-even: at 50 ms per request the remote job (%.2f s) beats copying this dump first whenever "
                 "the link moves less than %.0f Mbit/s (%.1f MiB in %.2f s, the remote time minus the local job); "
                 "copying an unfiltered dump of the same machine (1 TiB) as fast would take a %.0f Gbit/s link." % (
                     r50[0][5], size * 8 / (r50[0][5] - local_wall) / 1e6, size / 1048576.0, r50[0][5] - local_wall,
                     (1 << 40) * 8 / (r50[0][5] - local_wall) / 1e9))
    L.append("\nExit 1 on this dump is expected: a 1 TiB dump's page counts are not computed at open (the "
             "bitmaps are 64 MiB), and a warning says so.\n")
    L.append(END)
    text = open(a.doc).read() if os.path.exists(a.doc) else ""
    sec = "\n".join(L) + "\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + sec + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + sec
    with open(a.doc, "w") as f:
        f.write(text)
    for r in rows:
        print("bench remote: %s" % (r,))
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
