#!/usr/bin/python3
# A minimal HTTP tracker (BEP 3, compact peer lists per BEP 23) for tests and
# benchmarks, on 127.0.0.1 only. Exits after --max-seconds.
import argparse, socket, struct, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("--max-seconds", type=int, default=900)
a = ap.parse_args()
swarms = {}  # info_hash bytes -> {(ip, port)}
lock = threading.Lock()

class H(BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = {}
        for part in u.query.split("&"):
            k, _, v = part.partition("=")
            q.setdefault(k.encode(), []).append(urllib.parse.unquote_to_bytes(v))
        ih = q.get(b"info_hash", [b""])[0]
        try:
            port = int(q.get(b"port", [b"0"])[0])
        except ValueError:
            port = 0
        me = (self.client_address[0], port)
        with lock:
            peers = swarms.setdefault(ih, set())
            if q.get(b"event", [b""])[0] == b"stopped":
                peers.discard(me)
            elif port:
                peers.add(me)
            others = [p for p in peers if p != me]
        compact = b"".join(socket.inet_aton(ip) + struct.pack(">H", pt) for ip, pt in others)
        body = lt.bencode({"interval": 5, "min interval": 1, "peers": compact})
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
print("ready", flush=True)
time.sleep(a.max_seconds)
