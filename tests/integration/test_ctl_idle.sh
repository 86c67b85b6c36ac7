#!/usr/bin/env bash
# Idle control-socket clients cannot lock others out: with the socket's
# 256 connections taken by clients that connected and sent nothing (plus one
# that keeps asking), a new client is refused; once
# spate.ctl_idle_timeout_s (2 s here) has passed the idle ones are closed
# and a new client is served, while the active one stays connected. A
# client that sends requests but stops reading its replies is closed too.
. "$(dirname "$0")/lib.sh"

port=$(free_port)
spate_start a "$port" --set spate.ctl_idle_timeout_s=2
[ "$(sp a config get spate.ctl_idle_timeout_s --json | jq -r '.[0].effective')" = 2 ] ||
  fail "the timeout was not set"

timeout 120 $PY - "$T/a/control.sock" "$SPATE_BIN" "$T/a" <<'PYEOF' || fail "idle connections"
import json, socket, subprocess, sys, time
sock_path, spate, data_dir = sys.argv[1:4]
MAX_CONNS = 256  # CTL_MAX_CONNS in src/ctl/server.c

def connect():
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)  # blocking: waits for room in the backlog (bounded by timeout 120)
    s.settimeout(10)
    return s

def ask(s, n):
    s.sendall(b'{"id":%d,"cmd":"stats"}\n' % n)
    buf = b""
    while not buf.endswith(b"\n"):
        d = s.recv(65536)
        if not d:
            raise SystemExit("the active client was closed")
        buf += d
    assert json.loads(buf)["id"] == n, buf

def cli_ok():
    r = subprocess.run([spate, "--data-dir", data_dir, "stats"], capture_output=True, timeout=15)
    return r.returncode == 0

idle = [connect() for _ in range(MAX_CONNS - 1)]
active = connect()
n = 1
ask(active, n)  # answered: every connection before it was accepted too
print("# %d idle connections and one active" % len(idle))
if cli_ok():
    raise SystemExit("a new client was served with every slot taken (the limit is not 256?)")
print("# a new client is refused while the slots are taken")

served = False
deadline = time.time() + 30
while time.time() < deadline:
    n += 1
    ask(active, n)  # the active client keeps asking, and is never closed
    if cli_ok():
        served = True
        break
    time.sleep(0.3)
if not served:
    raise SystemExit("no new client served within 30 s: idle connections are never closed")
print("# a new client is served after the idle timeout")
closed = 0
for s in idle:
    s.settimeout(5)
    try:
        closed += s.recv(1) == b""
    except (socket.timeout, ConnectionResetError):
        pass
if closed != len(idle):
    raise SystemExit("only %d of %d idle connections were closed" % (closed, len(idle)))
print("# the %d idle connections were closed" % closed)
n += 1
ask(active, n)
print("# the active connection still answers")

# a client that sends requests but never reads the replies is closed too
# (the replies back up, the write queue makes no progress)
stall = connect()
stall.setblocking(False)
req = b'{"id":1,"cmd":"stats"}\n' * 20000
sent = 0
try:
    while sent < len(req):
        sent += stall.send(req[sent:])
except BlockingIOError:
    pass
n_sent = sent // len(b'{"id":1,"cmd":"stats"}\n')
time.sleep(6)  # past the 2 s timeout twice, without reading
stall.settimeout(10)
got, end = b"", None
while end is None:
    try:
        d = stall.recv(1 << 20)
        if not d:
            end = "eof"
        got += d
    except ConnectionResetError:
        end = "reset"
n_replies = got.count(b"\n")
if n_replies >= n_sent:
    raise SystemExit("the non-reading client got all %d replies: it was not closed" % n_sent)
print("# a client that stopped reading was closed (%s) after %d of %d replies" % (end, n_replies, n_sent))
PYEOF
kill -0 "$a_PID" || fail "the instance died"
note "ok"
