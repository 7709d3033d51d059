#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
faultproxy: a small HTTP/1.1 proxy on 127.0.0.1 in front of a loopback
server (nginx in the tests), adding the faults a remote dump can meet.

  faultproxy.py --upstream http://127.0.0.1:PORT --port-file FILE

It listens on an ephemeral 127.0.0.1 port and writes the port to FILE.  The
fault is the first path segment of the request, the rest goes upstream:

  /ok/FILE            pass through
  /lat50/FILE         50 ms added before each response (any number: /latN/)
  /flaky/FILE         every 3rd request answered 503 (retries must hide it)
  /down/FILE          every request answered 503 (retries must give up)
  /trunc/FILE         every range response after the first cut to half its body
                      (Content-Length says the full size, the connection closes)
  /short/FILE         every range response after the first is a consistent but
                      shorter 206 (Content-Range and Content-Length say fewer bytes)
  /norange/FILE       200 with the whole object, Range ignored
  /etag/FILE          the ETag changes after the first response
  /redirN/FILE        a chain of N 302 redirects before the object
  /hang/FILE          requests after the first stall without sending a byte
  /atN-KIND[-TAG]/FILE  a fault at the N-th request only (from the N-th on for
                      the persistent kinds), for campaigns that move one fault
                      through a run (TAG keeps the counters of runs apart):
                      503, trunc, short, drop (close without answering) once;
                      down (503), norange (200), etag (changed) from N on

Each handler is bounded: a stalled request sleeps at most 60 s.  Only
loopback addresses are used.  Counters live in this process only.
"""
import argparse
import http.client
import http.server
import re
import socketserver
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
COUNT = {}


def bump(key):
    with LOCK:
        COUNT[key] = COUNT.get(key, 0) + 1
        return COUNT[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = None

    def log_message(self, fmt, *args):  # quiet
        pass

    def send_body(self, status, headers, body, length=None, close=False):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        if close:
            self.close_connection = True

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        parts = self.path.split("/", 2)
        if len(parts) < 3:
            return self.send_body(404, [], b"no fault segment\n")
        mode, rest = parts[1], "/" + parts[2]
        n = real_n = bump(mode + rest.split("?")[0])
        at = re.fullmatch(r"at(\d+)-([a-z0-9]+)(?:-\w+)?", mode)
        if at:
            first, kind = int(at.group(1)), at.group(2)
            hit = n == first if kind in ("503", "trunc", "short", "drop") else n >= first
            mode = {"503": "down", "drop": "drop"}.get(kind, kind) if hit else "ok"
            n = 2 if hit else n  # the single-shot kinds below spare request 1: not here
        if mode == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        m = re.fullmatch(r"redir(\d+)", mode)
        if m:
            left = int(m.group(1))
            nxt = "/ok" + rest if left <= 1 else "/redir%d%s" % (left - 1, rest)
            return self.send_body(302, [("Location", nxt)], b"")
        m = re.fullmatch(r"lat(\d+)", mode)
        if m:
            time.sleep(int(m.group(1)) / 1000.0)
        if mode == "down" or (mode == "flaky" and n % 3 == 0):
            return self.send_body(503, [], b"try again\n")
        if mode == "hang" and n > 1:
            time.sleep(60)
            self.close_connection = True
            return
        fwd = {}
        if "Range" in self.headers and mode != "norange":
            fwd["Range"] = self.headers["Range"]
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=60)
        conn.request(self.command, rest, headers=fwd)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        keep = [(k, v) for k, v in resp.getheaders()
                if k.lower() in ("content-range", "etag", "last-modified", "content-type", "accept-ranges")]
        if mode == "etag" and n > 1:
            keep = [(k, '"changed-%d"' % real_n if k.lower() == "etag" else v) for k, v in keep]
        if resp.status == 206 and n > 1 and mode == "trunc":
            return self.send_body(206, keep, body[: len(body) // 2], length=len(body), close=True)
        if resp.status == 206 and n > 1 and mode == "short" and len(body) > 1:
            cr = [v for k, v in keep if k.lower() == "content-range"][0]
            m = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", cr)
            first, total = int(m.group(1)), m.group(3)
            half = len(body) // 2
            keep = [(k, v) for k, v in keep if k.lower() != "content-range"]
            keep.append(("Content-Range", "bytes %d-%d/%s" % (first, first + half - 1, total)))
            return self.send_body(206, keep, body[:half])
        return self.send_body(resp.status, keep, body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients hanging up on a fault are the point, not news


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=int, default=1800, help="exit after this many seconds")
    a = ap.parse_args()
    up = urllib.parse.urlparse(a.upstream)
    if up.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("faultproxy: upstream must be on loopback")
    Handler.upstream = up
    srv = Server(("127.0.0.1", 0), Handler)
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    threading.Timer(a.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
