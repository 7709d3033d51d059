#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks a skbfilter report against the contract in docs/report-schema.md and a fixture's truth:
usage: report_check.py FIXTURE_DIR REPORT.json OUT.pcap OUT.pcapng TEXT_REPORT
Prints one line per check and "N passed, M failed"; exit 1 on any failure."""
import json, os, struct, sys, zlib

results = []


def check(ok, what):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + what)


def pcap_read(path):
    data = open(path, "rb").read()
    if len(data) < 24:
        return None, []
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    lt = struct.unpack(e + "I", data[20:24])[0] & 0x0fffffff
    off, pk = 24, []
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        pk.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return lt, pk


def pcapng_blocks(path):
    data = open(path, "rb").read()
    off, out = 0, []
    while off + 12 <= len(data):
        t, ln = struct.unpack("<II", data[off:off + 8])
        if ln < 12 or off + ln > len(data):
            return None
        out.append((t, data[off + 8:off + ln - 4]))
        off += ln
    return out


def main():
    fx, rep, pcap, pcapng, text = sys.argv[1:6]
    truth = json.load(open(os.path.join(fx, "truth.json")))
    doc = json.load(open(rep))
    prim = int(truth["primary_skb"], 16)
    skbs = doc.get("skbs") or []
    check(isinstance(doc.get("dump"), dict) and doc["dump"].get("format") and doc["dump"].get("arch"),
          "dump has format and arch")
    check(doc["dump"].get("kernel_release") == truth["kernel_release"], "dump.kernel_release")
    for s in skbs:
        ok = (isinstance(s.get("addr"), str) and len(s["addr"]) == 16 and s.get("found") and
              all(isinstance(s.get(k), int) for k in ("len", "data_len", "mac_header", "network_header",
                                                     "gso_size", "gso_segs", "gso_type", "nr_frags"))
              and isinstance(s.get("findings"), list)
              and all(f.get("severity") in ("error", "warning", "info") and f.get("id") and f.get("message")
                      for f in s["findings"]))
        check(ok, "skb %s follows the contract" % s.get("addr"))
    p = [s for s in skbs if int(s["addr"], 16) == prim]
    check(len(p) == 1, "primary skb listed once")
    if not p:
        return summary()
    p = p[0]
    pk = p.get("packet") or {}
    tp = truth["packet"]
    check(pk.get("from") == tp["from"] and pk.get("len") == tp["len"] and pk.get("crc32") == tp["crc32"],
          "primary packet from %s len %s crc %s (report: %s %s %s)" % (tp["from"], tp["len"], tp["crc32"],
                                                                     pk.get("from"), pk.get("len"), pk.get("crc32")))
    check(p.get("device", {}).get("name") == truth["skbs"][0]["dev"] and
          p["device"].get("ifindex") == truth["skbs"][0]["dev_ifindex"], "primary device name and ifindex")
    tf = truth["skbs"][0]["frags"]
    check([f.get("page_phys") for f in p.get("frags", [])] == ["%016x" % int(f["page_phys"], 16) for f in tf]
          and [f.get("size") for f in p["frags"]] == [f["size"] for f in tf], "primary frags (page, size)")
    for k in ("truesize", "csum_start", "csum_offset", "ip_summed", "protocol", "inner_protocol", "headlen"):
        check(p.get(k) == truth["skbs"][0][k], "primary %s = %s (report: %s)" % (k, truth["skbs"][0][k], p.get(k)))
    ids = {f["id"]: f["severity"] for f in p["findings"]}
    if truth["checks"].get("tunnel_gso_without_encapsulation"):
        check(ids.get("gso-tunnel-without-encapsulation") == "error", "seed: gso-tunnel-without-encapsulation error")
        check(ids.get("inner-headers-equal-outer") == "error", "seed: inner-headers-equal-outer error")
        check(("gso-segs-mismatch" in ids) == (not truth["checks"]["gso_segs_matches"]), "gso_segs finding")
        check("gso-dodgy" in ids, "DODGY finding")
        check("zero-mac-addresses" in ids, "all-zero MAC finding")
    else:
        check("error" not in ids.values(), "healthy: no error findings (%s)" % ids)
        check("gso-segs-mismatch" not in ids, "healthy: gso_segs agrees")
    # The pcap holds the primary packet exactly as expected.pcap, with its link type.
    elt, epk = pcap_read(os.path.join(fx, truth.get("expected_pcap", "expected.pcap")))
    lt, pks = pcap_read(pcap)
    check(lt == elt and epk and epk[0] in pks, "pcap: linktype %s and the expected.pcap packet (report: %s, %d packets)"
          % (elt, lt, len(pks)))
    blocks = pcapng_blocks(pcapng)
    check(blocks is not None and blocks[0][0] == 0x0a0d0d0a, "pcapng: block structure")
    if blocks:
        idbs = [b for b in blocks if b[0] == 1]
        epbs = [b for b in blocks if b[0] == 6]
        check(len(epbs) == len(pks), "pcapng: %d packets like the pcap" % len(epbs))
        check(any(truth["skbs"][0]["dev"].encode() in b[1] for b in idbs), "pcapng: an interface named after the device")
        check(any(("skb 0x" + truth["primary_skb"]).encode() in b[1] for b in epbs), "pcapng: the primary packet's comment")
    t = open(text).read()
    check(truth["primary_skb"] in t and "gso_type" in t, "text report names the primary skb")
    summary()


def summary():
    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    sys.exit(0 if all(results) else 1)


main()
