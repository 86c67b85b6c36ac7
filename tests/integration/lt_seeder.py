#!/usr/bin/python3
# A scripted peer for tests: python3-libtorrent seeding one torrent on
# 127.0.0.1 only, DHT/LSD/UPnP/NAT-PMP off, with an optional per-torrent
# upload limit (bytes/s). Prints "ready" once seeding, exits after
# --max-seconds or on SIGTERM.
import argparse, signal, sys, time
import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument("torrent"); ap.add_argument("save_path"); ap.add_argument("port", type=int)
ap.add_argument("--upload-limit", type=int, default=0)
ap.add_argument("--max-seconds", type=int, default=600)
a = ap.parse_args()

ses = lt.session({
    "listen_interfaces": "127.0.0.1:%d" % a.port,
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "alert_mask": lt.alert_category.error | lt.alert_category.status,
})
h = ses.add_torrent({"ti": lt.torrent_info(a.torrent), "save_path": a.save_path})
if a.upload_limit:
    h.set_upload_limit(a.upload_limit)
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
deadline = time.time() + a.max_seconds
ready = False
while not stop and time.time() < deadline:
    s = h.status()
    if not ready and s.is_seeding:
        print("ready", flush=True); ready = True
    for al in ses.pop_alerts():
        if al.category() & lt.alert_category.error:
            print("alert:", al.message(), file=sys.stderr, flush=True)
    time.sleep(0.1)
