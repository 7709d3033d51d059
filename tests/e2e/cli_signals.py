#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SIGINT/SIGTERM/SIGHUP at random moments of the main job leave no temporary
file beside the outputs, and the exit status is 128+signal (or the job's own
0/1 when it finished first).  Bounded: ROUNDS runs, each killed within the
time one uninterrupted run takes.

usage: cli_signals.py SKBFILTER DUMP WORKDIR [ROUNDS]
Prints ok/FAIL lines (tests/e2e/lib.sh counts them)."""
import os, random, signal, subprocess, sys, time

skbf, dump, work = sys.argv[1:4]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 40
random.seed(int(os.environ.get("CLI_SIGNALS_SEED", "14")))

def run(outdir, extra):
    args = [skbf, "-q", "--json", f"{outdir}/r.json", "-w", f"{outdir}/p.pcap", "--pcapng", f"{outdir}/p.pcapng",
            "-o", f"{outdir}/m.core"] + extra + [dump]
    # default dispositions in the child whatever ours are
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL) for s in
                                                (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)])

# How long one run takes, to spread the signals over it.
durations = {}
for name, extra in (("plain", []), ("scan", ["--scan", "all", "--threads", "2"])):
    d = os.path.join(work, "t-" + name)
    os.makedirs(d, exist_ok=True)
    t0 = time.monotonic()
    p = run(d, extra)
    p.communicate()
    durations[name] = time.monotonic() - t0

fails = 0
killed = 0
sigs = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
for i in range(rounds):
    name = "scan" if i % 2 else "plain"
    extra = ["--scan", "all", "--threads", "2"] if name == "scan" else []
    d = os.path.join(work, f"r{i}")
    os.makedirs(d)
    sig = sigs[i % 3]
    p = run(d, extra)
    time.sleep(random.uniform(0, durations[name] * 1.1))
    p.send_signal(sig)
    _, err = p.communicate()
    left = [f for f in os.listdir(d) if ".tmp-" in f]
    rc = p.returncode
    if rc == 128 + sig:
        killed += 1
    if left:
        fails += 1
        print(f"FAIL signals: round {i} ({name}, {signal.Signals(sig).name}): temporary files left: {left}")
    elif rc not in (0, 1, 128 + sig):
        fails += 1
        print(f"FAIL signals: round {i} ({name}, {signal.Signals(sig).name}): exit {rc}: {err[-300:]!r}")
if not fails:
    print(f"ok   signals: {rounds} runs signalled at random moments (SIGINT/TERM/HUP), {killed} interrupted "
          f"with exit 128+signal, no temporary file left")
if killed < rounds // 4:
    print(f"FAIL signals: only {killed} of {rounds} runs were interrupted: the test did not exercise the handler")
