# SPDX-License-Identifier: GPL-2.0-or-later
"""
make bench (bench/run.sh): read throughput per format and codec, the scale
benchmark over synthetic large dumps (bench/mkscaled.py), flattened input from
standard input, and the makedumpfile / crash references.  Writes
docs/performance.md.  Every number is measured here; commands that are not
implemented yet in this tree are reported as such.

  bench.py --work DIR --out docs/performance.md [--runs 3] [--huge] [--quick]
  bench.py --work DIR --real-only   only the real-dump table (every fixture), printed, no doc written
"""
import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "damage"))
import dumpfmt  # noqa: E402

MiB = 1 << 20
RSS_BOUND_KIB = 64 * 1024
CRASH_VMLINUX = "/usr/lib/debug/boot/vmlinux-6.1.0-56-amd64"
SCRATCH = ["."]  # set to the work directory in main()


def log(s):
    print("# " + s, flush=True)


def timed(argv, stdin=None, cwd=None, timeout=1800):
    """One run under /usr/bin/time -v: wall seconds, peak RSS KiB, exit status, stderr."""
    tv = "/usr/bin/time"
    scratch = cwd or SCRATCH[0]
    errf = os.path.join(scratch, ".bench.err")
    tf = os.path.join(scratch, ".bench.time")
    if os.access(tv, os.X_OK):
        cmd = [tv, "-v", "-o", tf] + argv
    else:
        cmd = argv
    fi = open(stdin, "rb") if stdin else subprocess.DEVNULL
    t0 = time.monotonic()
    try:
        with open(errf, "wb") as fe:
            p = subprocess.run(cmd, stdin=fi, stdout=subprocess.DEVNULL, stderr=fe, cwd=cwd, timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        rc = None
    wall = time.monotonic() - t0
    if stdin:
        fi.close()
    err = open(errf, "rb").read().decode("utf-8", "replace")
    rss = 0
    cpu = None
    if os.path.exists(tf):
        t = open(tf).read()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
        rss = int(m.group(1)) if m else 0
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t)
        if m:
            parts = [float(x) for x in m.group(1).split(":")]
            wall = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
        mu = re.search(r"User time \(seconds\): ([\d.]+)", t)
        ms = re.search(r"System time \(seconds\): ([\d.]+)", t)
        if mu and ms:
            cpu = float(mu.group(1)) + float(ms.group(1))
        m = re.search(r"Exit status: (\d+)", t)
        if m and rc is not None:
            rc = int(m.group(1))
        os.unlink(tf)
    return dict(rc=rc, wall=wall, rss=rss, err=err, cpu=cpu)


def measure(argv, runs, stdin=None, cwd=None, ok=(0, 1), timeout=1800):
    """Median wall time and the largest peak RSS of `runs` runs; stops after a failing run."""
    rs = []
    for _ in range(runs):
        r = timed(argv, stdin=stdin, cwd=cwd, timeout=timeout)
        rs.append(r)
        if r["rc"] not in ok:
            break
    last = rs[-1]
    if last["rc"] is None:
        return dict(status="timeout", note="no exit after %ds" % timeout, wall=None, rss=None)
    if last["rc"] not in ok:
        msg = last["err"].strip().splitlines()
        msg = [m for m in msg if m.strip()]
        note = msg[-1] if msg else "exit %d" % last["rc"]
        if "not implemented yet" in last["err"]:
            return dict(status="n/i", note="not implemented yet", wall=None, rss=None)
        return dict(status="fail", note="exit %d: %s" % (last["rc"], note[:160].replace("|", "/")), wall=None,
                    rss=last["rss"])
    cpus = [r["cpu"] for r in rs if r["cpu"] is not None]
    return dict(status="ok", wall=statistics.median(r["wall"] for r in rs), rss=max(r["rss"] for r in rs),
                cpu=statistics.median(cpus) if cpus else None,
                rc=last["rc"], runs=len(rs), note="", stderr=last["err"])


def fmt_t(m):
    if m is None:
        return "-"
    if m["status"] == "ok":
        if m.get("cpu") is not None:
            return "%.2f s (%.2f)" % (m["wall"], m["cpu"])
        return "%.2f s" % m["wall"]
    return m["status"] + (" (%s)" % m["note"] if m["note"] and m["status"] != "n/i" else "")


def fmt_rss(m):
    if not m or not m.get("rss"):
        return "-"
    return "%.1f MiB" % (m["rss"] / 1024.0)


def zstd_d(src, dst):
    if not os.path.exists(dst):
        log("decompressing %s" % src)
        subprocess.run(["zstd", "-dqf", "--long=31", src, "-o", dst], check=True)
    return dst


def count_pages(pageread, path):
    """Pages the dump holds (present + zero) and dumped bytes, from pageread --all."""
    p = subprocess.run([pageread, "--all", path], capture_output=True)
    if p.returncode != 0:
        return None
    n = 0
    for line in p.stdout.split(b"\n"):
        parts = line.split(b" ")
        if len(parts) >= 3 and parts[-1] != b"-" and (b"present" in line or b"zero" in line):
            n += 1
    return n


def codec_speed(codecbench, path):
    p = subprocess.run([codecbench, "--seconds", "1", path], capture_output=True, text=True)
    res = {}
    for line in p.stdout.splitlines():
        f = line.split()
        if len(f) >= 12 and f[0] == "codec":
            res[f[1]] = dict(pages=int(f[3]), in_bytes=int(f[5]), out_mib_s=float(f[7]), in_mib_s=float(f[9]))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", default="docs/performance.md")
    ap.add_argument("--fixtures", default=os.environ.get("SKBFILTER_FIXTURES", ""))
    ap.add_argument("--skbfilter", default=os.environ.get("SKBFILTER", "./skbfilter"))
    ap.add_argument("--build", default=os.environ.get("BUILD", "build/std"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--huge", action="store_true", help="also the 1 TiB zero-filler kdump (6 GiB of descriptors)")
    ap.add_argument("--no-crash", action="store_true", help="skip crash startup-to-bt")
    ap.add_argument("--quick", action="store_true", help="one run each, scales 64 GiB and 1 TiB only")
    ap.add_argument("--real-only", action="store_true",
                    help="only --info and the default job on every fixture dump; print the rows, write no doc")
    a = ap.parse_args()
    runs = 1 if a.quick else a.runs
    fx = a.fixtures
    if not os.path.isdir(fx):
        print("bench: no fixtures at %s (set SKBFILTER_FIXTURES)" % fx)
        return 1
    os.makedirs(a.work, exist_ok=True)
    SCRATCH[0] = a.work
    skb = os.path.abspath(a.skbfilter)
    pageread = os.path.abspath(os.path.join(a.build, "tests/gen/pageread"))
    codecbench = os.path.abspath(os.path.join(a.build, "tests/gen/codecbench"))
    have_pageread = os.access(pageread, os.X_OK)
    have_codecbench = os.access(codecbench, os.X_OK)
    tx = os.path.join(fx, "tx-vxlan-tcp")
    seed = os.path.join(fx, "seed-gso-mismatch")
    arm = os.path.join(fx, "arm64-tx-vxlan-tcp")
    W = a.work
    t_start = time.monotonic()
    load0 = os.getloadavg()

    # ---------------- inputs
    inputs = []  # (label, path, codec note)
    for c in ("zlib", "lzo", "snappy", "zstd"):
        p = os.path.join(tx, "vmcore.kdump-" + c)
        if os.path.exists(p):
            inputs.append(("tx kdump-" + c, p, c))
    if os.path.exists(os.path.join(tx, "vmcore.elf.zst")):
        inputs.append(("tx ELF (raw /proc/vmcore)", zstd_d(os.path.join(tx, "vmcore.elf.zst"), os.path.join(W, "tx.elf")), "none"))
    if os.path.exists(os.path.join(seed, "vmcore.flat")):
        inputs.append(("seed flattened (file)", os.path.join(seed, "vmcore.flat"), "zlib"))
    if os.path.exists(os.path.join(seed, "vmcore-d31.elf.zst")):
        inputs.append(("seed ELF -E -d 31", zstd_d(os.path.join(seed, "vmcore-d31.elf.zst"), os.path.join(W, "seed-d31.elf")), "none"))
    if os.path.exists(os.path.join(arm, "vmcore.kdump-lzo")):
        inputs.append(("arm64 kdump-lzo", os.path.join(arm, "vmcore.kdump-lzo"), "lzo"))
    if os.path.exists(os.path.join(arm, "vmcore-d31.elf.zst")):
        inputs.append(("arm64 ELF -E -d 31", zstd_d(os.path.join(arm, "vmcore-d31.elf.zst"), os.path.join(W, "arm64-d31.elf")), "none"))

    # Every other scenario (the other kernels' fixtures, e.g. 5.10, 6.12, 7.2): its dump, for the
    # default job's row.  A kernel that exports no kallsyms to VMCOREINFO (before 6.0) needs its
    # System.map: when the job cannot run without one (exit >= 2) and the fixtures carry
    # kernel-<release>/System.map-<release>.zst, the row is measured with -m (said in its label).
    job_extra = {}
    jobdir = os.path.join(W, "job")
    os.makedirs(jobdir, exist_ok=True)
    known = {os.path.basename(d) for d in (tx, seed, arm)}
    for d in sorted(os.listdir(fx)):
        sd = os.path.join(fx, d)
        if d in known or not os.path.isfile(os.path.join(sd, "truth.json")):
            continue
        dumps = [f for f in sorted(os.listdir(sd)) if f == "vmcore.flat" or f.startswith("vmcore.kdump-")]
        if not dumps:
            continue
        path = os.path.join(sd, dumps[0])
        p = subprocess.run([skb, "--info", "--json", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            info = json.loads(p.stdout)
        except ValueError:
            info = {}
        rel = info.get("kernel_release") or "?"
        label = "%s %s (%s)" % (d, dumps[0], rel)
        probe = timed([skb, "-q", "--force", "--json", "report.json", "-w", "out.pcap", "-o", "mini.core", path], cwd=jobdir)
        smap = os.path.join(fx, "kernel-" + rel, "System.map-%s.zst" % rel)
        if probe["rc"] is not None and probe["rc"] >= 2 and os.path.exists(smap):
            job_extra[label + " -m System.map"] = ["-m", zstd_d(smap, os.path.join(W, "System.map-" + rel))]
            label += " -m System.map"
        inputs.append((label, path, info.get("codecs") or "?"))

    # ---------------- (a) read throughput
    read_rows = []
    for label, path, codec in inputs:
        if not have_pageread or a.real_only:
            break
        log("pageread --all %s" % label)
        pages = count_pages(pageread, path)
        m = measure([pageread, "--all", path], runs)
        cs = {}
        if have_codecbench:
            kpath = path
            if path.endswith(".flat"):
                kpath = os.path.join(W, "flat-rebuilt.kdump")
                with open(kpath, "wb") as f:
                    f.write(dumpfmt.unflatten(open(path, "rb").read())[0])
            if open(kpath, "rb").read(8) == dumpfmt.KDUMP_SIG:
                cs = codec_speed(codecbench, kpath)
        read_rows.append(dict(label=label, path=path, codec=codec, pages=pages, m=m, codecs=cs,
                              size=os.path.getsize(path)))

    # ---------------- commands on the real dumps
    cmd_rows = []

    def job_argv(path, label=None):
        return [skb, "-q", "--force"] + job_extra.get(label, []) + ["--json", "report.json", "-w", "out.pcap", "-o", "mini.core", path]

    for label, path, codec in inputs:
        log("skbfilter on %s" % label)
        info = measure([skb, "--info", path], runs, cwd=jobdir)
        job = measure(job_argv(path, label), runs, cwd=jobdir)
        cmd_rows.append(dict(label=label, size=os.path.getsize(path), info=info, job=job))
    if a.real_only:
        load1 = os.getloadavg()
        print("| input | file MiB | --info | RSS | default job | RSS | within 64 MiB |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for r in cmd_rows:
            print(cmd_row(r))
        print("\n%d run(s) each; load average %.2f before, %.2f after" % (runs, load0[0], load1[0]))
        return 0

    # ---------------- --scan all: throughput against the codec bound, one thread and one per CPU
    def scan_stats(m):
        """The walk's figures from skbfilter's --scan all summary line (median run's stderr)."""
        if m["status"] != "ok":
            return None
        mm = re.search(r"--scan all: (\d+) struct pages in (\d+) dump pages, (\d+) skbuff slab pages: "
                       r"([\d.]+) MiB read in ([\d.]+) s, .*?(\d+) threads?", m.get("stderr", ""))
        if not mm:
            return None
        return dict(pfns=int(mm.group(1)), vm=int(mm.group(2)), slab=int(mm.group(3)), mib=float(mm.group(4)),
                    sec=float(mm.group(5)), threads=int(mm.group(6)))

    scan_rows = []
    for label, path, codec in inputs:
        if not label.startswith("tx "):
            continue
        log("--scan all on %s" % label)
        m = measure([skb, "--scan", "all", "--force", "--json", "report.json", path], runs, cwd=jobdir)
        m1 = measure([skb, "--scan", "all", "--threads", "1", "--force", "--json", "report.json", path], runs, cwd=jobdir)
        st = scan_stats(m)
        st1 = scan_stats(m1)
        rr = next((r for r in read_rows if r["label"] == label), None)
        bound = None
        if have_codecbench and codec != "none":
            # measured right after the walk, so both see the same machine load
            bound = codec_speed(codecbench, path).get(codec, {}).get("out_mib_s")
        scan_rows.append(dict(label=label, codec=codec, m=m, st=st, st1=st1, bound=bound,
                              pageread=(rr["pages"] * 4096 / MiB / rr["m"]["wall"])
                              if rr and rr["pages"] and rr["m"]["status"] == "ok" else None))

    # is there a second core to decompress on?  two pageread --all at once against one
    par = None
    zl = os.path.join(tx, "vmcore.kdump-zlib")
    if have_pageread and os.path.exists(zl):
        log("parallel headroom (pageread x2)")
        one = measure([pageread, "--all", zl], runs)
        two = measure(["sh", "-c", '"$1" --all "$2" > /dev/null & "$1" --all "$2" > /dev/null; wait', "sh", pageread, zl],
                      runs)
        par = (one, two)

    # ---------------- flattened input from stdin vs cat
    stdin_rows = []
    flat = os.path.join(seed, "vmcore.flat")
    bigs = []
    if os.path.exists(os.path.join(W, "tx.elf")) and shutil.which("makedumpfile"):
        for tag, extra in (("lzo", ["-l"]), ("raw", [])):
            out = os.path.join(W, "big-%s.flat" % tag)
            log("makedumpfile -F -d 0 %s tx.elf > %s" % (" ".join(extra), out))
            with open(out, "wb") as fo:
                p = subprocess.run(["makedumpfile", "-F", "-d", "0"] + extra + [os.path.join(W, "tx.elf")],
                                   stdout=fo, stderr=subprocess.PIPE)
            if p.returncode == 0:
                bigs.append(("makedumpfile -F -d 0 %s(tx, %s pages)" % (" ".join(extra) + " " if extra else "",
                                                                         tag), out))
    for what, f in bigs:
        log("stdin: %s" % what)
        size = os.path.getsize(f)
        catm = measure(["cat", f], runs)
        pipecat = measure(["sh", "-c", 'cat "$1" | cat', "sh", f], runs)
        inplace = measure([skb, "--info", "-"], runs, stdin=f, cwd=jobdir)
        piped = measure(["sh", "-c", 'cat "$1" | "$2" --info -', "sh", f, skb], runs, cwd=jobdir)
        pjob = measure(["sh", "-c", 'cat "$1" | "$2" -q --force --json report.json -w out.pcap -o mini.core -', "sh", f, skb],
                       runs, cwd=jobdir)
        tmpf = os.path.join(W, "cat.out")
        catfile = measure(["sh", "-c", 'cat "$1" > "$2"; rm -f "$2"', "sh", f, tmpf], runs)
        stdin_rows.append(dict(what=what, size=size, catfile=catfile, rows=[
            ("cat FILE > /dev/null", catm, None),
            ("cat FILE > a file beside the temporary (the floor for storing a pipe)", catfile, catm),
            ("skbfilter --info - < FILE (stdin is the file: read in place)", inplace, catm),
            ("cat FILE | cat > /dev/null (a pipe)", pipecat, catm),
            ("cat FILE | skbfilter --info - (pipe: the whole stream rebuilt into a temp file)", piped, catm),
            ("cat FILE | skbfilter default job -", pjob, catm)]))
    if os.path.exists(flat):
        log("flattened from stdin (seed)")
        size = os.path.getsize(flat)
        catm = measure(["cat", flat], runs)
        stdin_rows.append(dict(what="seed vmcore.flat (makedumpfile -F -c -d 31)", size=size, rows=[
            ("cat FILE > /dev/null", catm, None),
            ("skbfilter --info - < FILE", measure([skb, "--info", "-"], runs, stdin=flat, cwd=jobdir), catm),
            ("skbfilter default job - < FILE", measure(job_argv("-"), runs, stdin=flat, cwd=jobdir), catm),
            ("cat FILE | skbfilter default job -",
             measure(["sh", "-c", 'cat "$1" | "$2" -q --force --json report.json -w out.pcap -o mini.core -', "sh", flat, skb],
                     runs, cwd=jobdir), catm)]))

    # ---------------- makedumpfile and crash references on the real dumps
    ref_rows = []
    for c in ("zlib", "lzo"):
        p = os.path.join(tx, "vmcore.kdump-" + c)
        if os.path.exists(p) and shutil.which("makedumpfile"):
            log("makedumpfile -d 31 on kdump-%s" % c)
            out = os.path.join(W, "mdf.out")
            m = measure(["sh", "-c", 'rm -f "$2"; exec makedumpfile -d 31 %s "$1" "$2"' % ("-c" if c == "zlib" else "-l"),
                         "sh", p, out], runs, ok=(0,))
            ref_rows.append(("makedumpfile -d 31 %s (tx kdump-%s)" % ("-c" if c == "zlib" else "-l", c), "tx kdump-" + c, m))
            if os.path.exists(out):
                os.unlink(out)
    crash_ok = os.path.exists(CRASH_VMLINUX) and shutil.which("crash") and not a.no_crash
    cmds = os.path.join(W, "crash.cmds")
    with open(cmds, "w") as f:
        f.write("bt\nquit\n")

    def crash_bt(path):
        return measure(["crash", "-s", CRASH_VMLINUX, path, "-i", cmds], 1, timeout=900)

    if crash_ok:
        log("crash startup-to-bt on tx kdump-zlib")
        ref_rows.append(("crash -s vmlinux-dbg + bt (tx kdump-zlib)", "tx kdump-zlib", crash_bt(os.path.join(tx, "vmcore.kdump-zlib"))))

    # ---------------- scale benchmark
    scale_rows = []
    src_k = os.path.join(tx, "vmcore.kdump-zlib")
    src_e = os.path.join(W, "tx.elf")
    scales = [64, 1024] if a.quick else [64, 256, 1024]
    plan = []
    if os.path.exists(src_k):
        plan.append(("kdump-zlib", "0.5", None, src_k, "real dump (512 MiB RAM, -d 31)"))
        for g in scales:
            plan.append(("kdump-zlib", g, "excluded", None, "filler RAM excluded (2nd bitmap clear)"))
        for g in [s for s in scales if s <= 256] + ([1024] if a.huge else []):
            plan.append(("kdump-zlib", g, "zero", None, "filler RAM dumped as zero pages (24 B descriptor each)"))
    if os.path.exists(src_e):
        plan.append(("ELF", "0.5", None, src_e, "real raw ELF (512 MiB RAM)"))
        for g in scales:
            plan.append(("ELF", g, "sparse", None, "PT_LOAD of filler RAM in file holes"))
    mkscaled = os.path.join(HERE, "mkscaled.py")
    for fmt, gib, filler, path, what in plan:
        made = None
        if path is None:
            made = os.path.join(W, "scaled.%s" % ("kdump" if fmt.startswith("kdump") else "elf"))
            log("mkscaled %s %s GiB %s" % (fmt, gib, filler))
            args = [sys.executable, mkscaled, "kdump" if fmt.startswith("kdump") else "elf",
                    src_k if fmt.startswith("kdump") else src_e, made, "--ram-gib", str(gib)]
            if fmt.startswith("kdump"):
                args += ["--filler", filler]
            t0 = time.monotonic()
            p = subprocess.run(args, capture_output=True, text=True)
            if p.returncode != 0:
                scale_rows.append(dict(fmt=fmt, gib=gib, filler=filler, what=what, error=p.stderr.strip()[-200:]))
                continue
            gen_s = time.monotonic() - t0
            path = made
        else:
            gen_s = 0
        st = os.stat(path)
        log("measure %s %s GiB" % (fmt, gib))
        row = dict(fmt=fmt, gib=gib, filler=filler, what=what, size=st.st_size, disk=st.st_blocks * 512,
                   gen_s=gen_s)
        row["info"] = measure([skb, "--info", path], runs, cwd=jobdir)
        row["job"] = measure(job_argv(path), runs, cwd=jobdir)
        if fmt.startswith("kdump") and shutil.which("makedumpfile"):
            out = os.path.join(W, "mdf.out")
            row["mdf"] = measure(["sh", "-c", 'rm -f "$2"; exec makedumpfile -d 31 -c "$1" "$2"', "sh", path, out],
                                 runs if gib == "0.5" else 1, ok=(0,))
            if os.path.exists(out):
                os.unlink(out)
        if crash_ok and fmt.startswith("kdump") and filler == "excluded" and gib == max(scales):
            log("crash startup-to-bt on %s GiB" % gib)
            row["crash"] = crash_bt(path)
        scale_rows.append(row)
        if made:
            os.unlink(made)

    elapsed = time.monotonic() - t_start
    write_doc(a, read_rows, cmd_rows, stdin_rows, ref_rows, scale_rows, scan_rows, par, have_pageread,
              have_codecbench, crash_ok, load0, os.getloadavg(), elapsed, runs)
    log("wrote %s in %.0f s" % (a.out, elapsed))
    return 0


def ratio(a, b):
    """a / b in CPU time when both have it (robust on a loaded machine), else wall time."""
    if not a or not b or a.get("status") != "ok" or b.get("status") != "ok" or not b["wall"]:
        return "-"
    if a.get("cpu") and b.get("cpu"):
        return "%.2f" % (a["cpu"] / b["cpu"])
    return "%.2f (wall)" % (a["wall"] / b["wall"])


def tput(m, size):
    """Throughput in MiB/s (wall time)."""
    if not m or m.get("status") != "ok" or not m["wall"]:
        return None
    return size / MiB / max(m["wall"], 0.005)


def cmd_row(r):
    """One row of the real-dump table: --info and the default job, time and peak RSS."""
    j = r["job"]
    within = "-" if j["status"] != "ok" else ("yes" if j["rss"] <= RSS_BOUND_KIB else "**no**")
    return "| %s | %.1f | %s | %s | %s | %s | %s |" % (r["label"], r["size"] / MiB, fmt_t(r["info"]), fmt_rss(r["info"]),
                                                  fmt_t(j), fmt_rss(j), within)


def write_doc(a, read_rows, cmd_rows, stdin_rows, ref_rows, scale_rows, scan_rows, par, have_pageread,
              have_codecbench, crash_ok, load0, load1, elapsed, runs):
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except Exception:
        pass
    L = []
    A = L.append
    A("# Performance\n")
    A("Generated by `make bench` (bench/run.sh -> bench/bench.py) on %s, commit %s. Do not edit by hand: "
      "rerun `make bench` (the *How the scaled dumps are made* section is part of the script)." % (
          datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"), rev or "?"))
    A("")
    A("Machine: %d CPUs (%s), load average %.1f at the start and %.1f at the end; times are the median of %d run(s) "
      "measured with `/usr/bin/time -v`: *time* cells read `wall (CPU)`, CPU = user + system seconds of the "
      "process, which a loaded machine inflates much less than wall time; peak RSS is *Maximum resident set "
      "size*. Ratios use CPU time (wall where CPU is unknown). The whole run took "
      "%.0f s. A loaded machine (other jobs running) inflates wall times; ratios between rows measured close together "
      "are more reliable than absolute figures." % (os.cpu_count(), cpu or "?", load0[0], load1[0], runs, elapsed))
    A("")
    A("## Reading every page, per format and codec\n")
    if not have_pageread:
        A("`pageread` is not built in this tree: skipped.\n")
    else:
        A("`pageread --all FILE > /dev/null` reads and CRCs every page the dump holds through the dump layer "
          "(format reader, decompressor, page cache). *page MiB/s* is dumped pages x 4 KiB per second; *codec MiB/s* "
          "is `tests/gen/codecbench` decompressing the same pages' stored bytes in a loop (no I/O, no parsing): the "
          "ceiling for that codec on this machine.%s\n" % ("" if have_codecbench else " (codecbench not built.)"))
        A("| input | file MiB | pages held | time | page MiB/s | file MiB/s | codec MiB/s (out) | peak RSS |")
        A("|---|---:|---:|---:|---:|---:|---|---:|")
        for r in read_rows:
            m = r["m"]
            t = m["wall"] if m["status"] == "ok" else None
            pms = "%.0f" % (r["pages"] * 4096 / MiB / t) if t and r["pages"] else "-"
            fms = "%.0f" % (r["size"] / MiB / t) if t else "-"
            cs = ", ".join("%s %.0f" % (k, v["out_mib_s"]) for k, v in sorted(r["codecs"].items())) or "-"
            A("| %s | %.1f | %s | %s | %s | %s | %s | %s |" % (r["label"], r["size"] / MiB, r["pages"] if r["pages"] is not None else "-",
                                                             fmt_t(m), pms, fms, cs, fmt_rss(m)))
        A("")
    A("## skbfilter on the real dumps\n")
    A("`--info`, and the default job `-q --json report.json -w out.pcap -o mini.core` (report + pcap + mini.core). "
      "Peak RSS bound for the default job: 64 MiB.\n")
    A("| input | file MiB | --info | RSS | default job | RSS | within 64 MiB |")
    A("|---|---:|---:|---:|---:|---:|---|")
    for r in cmd_rows:
        A(cmd_row(r))
    A("")
    A("## Flattened input from standard input\n")
    A("Larger flattened streams are made at bench time from the tx raw ELF (422 MB, 512 MiB of RAM) with "
      "`makedumpfile -F -d 0` (every page; zero pages share one descriptor), lzo-compressed and uncompressed. "
      "Two ways of feeding standard input: redirected from the file (`< FILE`: stdin is a regular file, which "
      "skbfilter reads in place through an index of the record headers, like a named flattened file), and through "
      "a pipe (`cat FILE |`: the whole stream must be consumed and is rebuilt into an unlinked sparse temporary file, "
      "2 x 1 MiB buffers). `--info` is the command that does nothing else once the dump is open. *MiB/s* is the "
      "stream size over wall time; *vs cat* is that throughput over `cat FILE > /dev/null`'s (target >= 0.80). "
      "The page cache is warm for every row.\n")
    for blk in stdin_rows:
        A("**%s**: %.1f MiB\n" % (blk["what"], blk["size"] / MiB))
        A("| command | time | peak RSS | MiB/s | vs cat | vs cat > file |")
        A("|---|---:|---:|---:|---:|---:|")
        tfile = tput(blk.get("catfile"), blk["size"])
        for name, m, floor in blk["rows"]:
            t = tput(m, blk["size"])
            tf = tput(floor, blk["size"]) if floor else None
            A("| `%s` | %s | %s | %s | %s | %s |" % (name.replace("|", "\\|"), fmt_t(m), fmt_rss(m), "%.0f" % t if t else "-",
                                                    "%.2f" % (t / tf) if t and tf else "-",
                                                    "%.2f" % (t / tfile) if t and tfile and "|" in name else "-"))
        A("")
    A("## --scan all\n")
    A("`skbfilter --scan all --json report.json DUMP` (the main job plus the walk of every struct page through the "
      "vmemmap and of every skbuff slab page). The walk's own figures are the summary line skbfilter prints on "
      "stderr: struct-page pages and slab pages read, and their wall time. *codec bound* is `codecbench` for the "
      "dump's codec (decompression alone, run right after the walk so both see the same load); *pageread* is `pageread --all` on the same dump "
      "(every page through the dump layer, sequential). Both are averages over all the dump's pages; struct-page "
      "pages (mostly small integers and zeros) decompress faster than the average page, so a walk can exceed "
      "the bound (ratio > 1). The walk reads RAM / 64 bytes of struct page, so on this "
      "512 MiB machine it is small; at 1 TiB it would be 16 GiB of struct page.\n")
    A("Threads: the walk translates and reads a batch of up to 256 struct-page pages (1 MiB) on the main thread, "
      "then decompresses the batch on `--threads` threads (default: one per online CPU; `--threads 1` is the "
      "plain page-by-page path) before walking it; the slab objects are read on the main thread. *walk, 1 thread* "
      "is the same job with `--threads 1`; *speedup* is the walk time with one thread over the walk time with the "
      "default. Outputs are byte-identical either way (tests/e2e/report.sh).\n")
    A("| input | job with --scan all | RSS | pages read | MiB read | walk time (threads) | walk, 1 thread | speedup | walk MiB/s | walk pages/s | codec bound MiB/s | walk / codec bound | pageread MiB/s |")
    A("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in scan_rows:
        st, st1 = r["st"], r["st1"]
        if not st:
            A("| %s | %s | %s | - | - | - | - | - | - | - | - | - | - |" % (r["label"], fmt_t(r["m"]), fmt_rss(r["m"])))
            continue
        mibs = st["mib"] / max(st["sec"], 1e-6)
        A("| %s | %s | %s | %d | %.1f | %.3f s (%d) | %s | %s | %.0f | %.0f | %s | %s | %s |" % (
            r["label"], fmt_t(r["m"]), fmt_rss(r["m"]), st["vm"] + st["slab"], st["mib"], st["sec"], st["threads"],
            "%.3f s" % st1["sec"] if st1 else "-", "%.2f" % (st1["sec"] / max(st["sec"], 1e-6)) if st1 else "-",
            mibs, (st["vm"] + st["slab"]) / max(st["sec"], 1e-6), "%.0f" % r["bound"] if r["bound"] else "- (raw)",
            "%.2f" % (mibs / r["bound"]) if r["bound"] else "-", "%.0f" % r["pageread"] if r["pageread"] else "-"))
    A("")
    if par and par[0]["status"] == "ok" and par[1]["status"] == "ok":
        one, two = par
        A("The ceiling for two threads is the spare core: two `pageread --all` (tx kdump-zlib) at once took %s "
          "against %s for one, so two decompressions in parallel gave %.2fx the throughput of one (2.00 = a free "
          "second core). The walk is not all decompression (the *walk / codec bound* column is its share), so by "
          "Amdahl's law a 2-thread walk gains at most 1 / (1 - share / 2), times this factor."
          % (fmt_t(two), fmt_t(one), 2 * one["wall"] / max(two["wall"], 1e-6)))
        A("")
    A("## References: makedumpfile and crash\n")
    A("`makedumpfile -d 31` re-filtering the same input is the full-pass reference (it reads every dumped page "
      "and walks mem_map). crash startup-to-bt: `crash -s vmlinux-dbg DUMP` with `bt`, `quit` on its input (`-i` file), one run%s.\n" % (
          "" if crash_ok else " — **not run**: no debug vmlinux at %s (or crash missing, or --no-crash)" % CRASH_VMLINUX))
    A("| reference | time | peak RSS | skbfilter default job on the same input | skbfilter / reference |")
    A("|---|---:|---:|---:|---:|")
    for name, lab, m in ref_rows:
        job = next((r["job"] for r in cmd_rows if r["label"] == lab), None)
        A("| %s | %s | %s | %s | %s |" % (name, fmt_t(m), fmt_rss(m), fmt_t(job), ratio(job, m)))
    A("")
    A("## Scale: 0.5 GiB to 1 TiB of RAM\n")
    A("Synthetic dumps built by `bench/mkscaled.py` from the real tx-vxlan-tcp dumps (see below for how and why "
      "they stay faithful). *file* is the apparent size, *disk* the blocks it occupies (sparse).\n")
    A("| format | RAM GiB | filler | file | disk | --info | RSS | default job | RSS | job within 64 MiB | makedumpfile -d 31 | crash to bt |")
    A("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in scale_rows:
        if "error" in r:
            A("| %s | %s | %s | mkscaled failed: %s | | | | | | | | |" % (r["fmt"], r["gib"], r["filler"] or "real", r["error"]))
            continue
        j = r["job"]
        within = "-" if j["status"] != "ok" else ("yes" if j["rss"] <= RSS_BOUND_KIB else "**no**")
        A("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["fmt"], r["gib"], r["filler"] or "real", human(r["size"]), human(r["disk"]), fmt_t(r["info"]),
            fmt_rss(r["info"]), fmt_t(j), fmt_rss(j), within, fmt_t(r.get("mdf")) if "mdf" in r else "-",
            fmt_t(r.get("crash")) if "crash" in r else "-"))
    A("")
    A("### Ratios\n")
    A("| format | filler | --info: largest / 0.5 GiB | job: largest / 0.5 GiB | job RSS: largest / 0.5 GiB | job / makedumpfile at 0.5 GiB |")
    A("|---|---|---:|---:|---:|---:|")
    for fmt in sorted(set(r["fmt"] for r in scale_rows)):
        base = next((r for r in scale_rows if r["fmt"] == fmt and r["gib"] == "0.5" and "error" not in r), None)
        for filler in sorted(set(r["filler"] for r in scale_rows if r["fmt"] == fmt and r["filler"])):
            rows = [r for r in scale_rows if r["fmt"] == fmt and r["filler"] == filler and "error" not in r]
            if not rows or not base:
                continue
            big = max(rows, key=lambda r: r["gib"])
            rr = "-"
            if big["job"]["status"] == "ok" and base["job"]["status"] == "ok" and base["job"].get("rss"):
                rr = "%.2f" % (big["job"]["rss"] / base["job"]["rss"])
            A("| %s | %s (%s GiB) | %s | %s | %s | %s |" % (fmt, filler, big["gib"], ratio(big["info"], base["info"]),
                                                          ratio(big["job"], base["job"]), rr,
                                                          ratio(base["job"], base.get("mdf"))))
    A("")
    A("## Headline ratios\n")
    A("CPU-time ratios (wall where CPU is unknown) of the default job (report + pcap + mini.core) against the "
      "references, from the tables above; stdin/cat is a throughput ratio (wall).\n")
    A("| ratio | value | target |")
    A("|---|---:|---|")
    zl = next((r["job"] for r in cmd_rows if r["label"] == "tx kdump-zlib"), None)
    for name, lab, m in ref_rows:
        job = next((r["job"] for r in cmd_rows if r["label"] == lab), None)
        kind = "skbfilter / crash" if name.startswith("crash") else "skbfilter / makedumpfile"
        A("| %s: %s | %s | %s |" % (kind, name, ratio(job, m), "<= 1/30 (aim)" if kind.endswith("crash") else "-"))
    for r in scale_rows:
        if "crash" in r:
            A("| skbfilter / crash at %s GiB (%s, %s filler) | %s | <= 1/30 (aim) |" % (
                r["gib"], r["fmt"], r["filler"], ratio(r["job"], r["crash"])))
    for fmt in sorted(set(r["fmt"] for r in scale_rows)):
        base = next((r for r in scale_rows if r["fmt"] == fmt and r["gib"] == "0.5" and "error" not in r), None)
        rows = [r for r in scale_rows if r["fmt"] == fmt and r["filler"] in ("excluded", "sparse") and "error" not in r]
        if base and rows:
            big = max(rows, key=lambda r: r["gib"])
            A("| default job %s GiB / 0.5 GiB (%s, %s filler) | %s | <= 2 |" % (big["gib"], fmt, big["filler"],
                                                                              ratio(big["job"], base["job"])))
            if big["job"]["status"] == "ok":
                A("| default job at %s GiB (%s): wall (CPU), peak RSS | %s, %s | <= 1 s (aim 0.25 s), <= 64 MiB |" % (
                    big["gib"], fmt, fmt_t(big["job"]), fmt_rss(big["job"])))
    for blk in stdin_rows:
        rows = blk["rows"]
        for name, m, floor in rows[1:]:
            if "--info" in name and floor:
                t, tf = tput(m, blk["size"]), tput(floor, blk["size"])
                A("| stdin / cat, %s: `%s` | %s | >= 0.80 |" % (blk["what"], name.replace("|", "\\|"),
                                                                "%.2f" % (t / tf) if t and tf else "-"))
                # through a pipe, the fair reference is a reader that does nothing: cat | cat > /dev/null
                pc = next((pm for pn, pm, _ in rows if pn.startswith("cat FILE | cat")), None)
                if "|" in name and pc:
                    tp = tput(pc, blk["size"])
                    A("| stdin pipe / `cat FILE \\| cat > /dev/null`, %s: `%s` | %s | - |" % (
                        blk["what"], name.replace("|", "\\|"), "%.2f" % (t / tp) if t and tp else "-"))
    if zl and zl["status"] == "ok":
        A("| default job on tx kdump-zlib (0.5 GiB): wall (CPU) | %s | <= 0.25 s |" % fmt_t(zl))
    A("")
    A("Wall times carry the machine's load (see the load average at the top); the CPU figure in parentheses is "
      "what the job itself costs. Reading a flattened stream in place (`< FILE`) reads only its record headers, "
      "so it beats `cat`; through a pipe the whole stream must be stored, and the floor for that is "
      "`cat FILE > file` (the *vs cat > file* column), not `cat FILE > /dev/null`. On this VM a pipe itself "
      "is the bottleneck: `cat FILE | cat > /dev/null` moves the stream at a fraction of `cat FILE > /dev/null`, "
      "so the pipe rows are also given against it.")
    A("")
    A(FAITHFUL)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        f.write("\n".join(L) + "\n")


def human(n):
    for unit, d in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= d:
            return "%.1f %s" % (n / d, unit)
    return "%d B" % n


FAITHFUL = """## How the scaled dumps are made, and why they stay faithful

`bench/mkscaled.py` starts from a real dump and makes the machine bigger without touching what the kernel
wrote:

- **kdump-compressed** (`mkscaled.py kdump SRC OUT --ram-gib N --filler excluded|zero`). Every real page keeps
  its pfn and its exact compressed bytes; notes and VMCOREINFO are copied byte for byte. `max_mapnr`,
  `max_mapnr_64` and `bitmap_blocks` are set for N GiB, so the 1st and 2nd bitmaps really are N GiB / 4 KiB
  bits each (64 MiB in total at 1 TiB), and every descriptor offset is moved past the larger bitmaps. The added
  RAM starts at the first 128 MiB (memory-section) boundary above the real RAM.
  - `excluded`: the added pfns are set in the 1st bitmap (RAM) and clear in the 2nd (not dumped). This is what
    `makedumpfile -d 31` writes for a big machine, where free and page-cache pages (most of RAM) are excluded:
    a huge 1st bitmap, a mostly-clear 2nd bitmap, a descriptor table as small as the real one. The clear part of
    the 2nd bitmap is a hole in a sparse file (it is zero either way).
  - `zero`: the added pfns are dumped, each with its own 24-byte descriptor pointing at the shared zero page
    (makedumpfile writes zero pages this way when level bit 0 is off; dump_level is set to 30 to match). The
    descriptor table is then really 24 bytes per page (384 MiB at 64 GiB, 1.5 GiB at 256 GiB, 6 GiB at 1 TiB:
    the last only with `--huge`). This is the worst case for anything that indexes descriptors.
- **ELF** (`mkscaled.py elf SRC OUT --ram-gib N`): the real raw ELF is copied and one PT_LOAD for the added RAM is
  appended (program headers rewritten at the end of the file, `e_phoff` moved). Its `p_filesz` equals `p_memsz`,
  like an unfiltered /proc/vmcore, and its file offsets lie in a hole of a sparse file, so it reads as zero pages
  while the file occupies only the real dump's blocks. `p_vaddr` follows the direct map of the real segments.

What is *not* faithful, and what it means for the figures: the kernel's own data (mem_section, memblock,
the page allocator) still describes 512 MiB, so nothing that reads kernel structures sees the added RAM. For
skbfilter this is the point: its work must depend on the pages it needs (stacks, skbs, symbols, BTF), not on
the size of the dump, and here the only thing that grows is the dump format's own metadata (bitmaps,
descriptors, segments), which is exactly what a reader must not scan or hold in memory as a whole. For
`makedumpfile -d 31` it means it cannot filter the scaled dumps (it looks up the struct page of every RAM pfn
through mem_section and fails on the added RAM: shown as *fail* in the table), so it is timed on the real dumps
only. libkdumpfile (`python3-libkdumpfile`) reads the scaled kdump and ELF files and returns the same bytes for
real pfns as for the source dump (checked while writing the tool).
"""

if __name__ == "__main__":
    sys.exit(main())
