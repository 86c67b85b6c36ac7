#!/usr/bin/python3
"""mntread.py — reads files through spate's FUSE mount for the mount tests.

Subcommands (exit 0 on the expected outcome, 1 otherwise, with one line why):
  cmp MOUNTED SOURCE OFFSET LEN      read LEN bytes at OFFSET from MOUNTED and
                                     compare them with SOURCE
  sha MOUNTED [CHUNK]                print the sha256 of the whole file, read
                                     sequentially in CHUNK bytes (default 1 MiB)
  errno MOUNTED OFFSET LEN ERRNO [--nonblock]
                                     a read must fail with ERRNO (e.g. EIO)
  until-error MOUNTED STARTED_FILE   read sequentially 64 KiB at a time, writing
                                     STARTED_FILE after the first read; exit 0
                                     if a read fails with EIO before the end
  hold MOUNTED SECONDS READY_FILE    open MOUNTED, write READY_FILE, keep it open
                                     for SECONDS (or until killed)
"""
import errno
import hashlib
import os
import sys
import time


def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def cmd_cmp(path, src, off, n):
    with open(src, "rb") as f:
        f.seek(off)
        want = f.read(n)
    fd = os.open(path, os.O_RDONLY)
    try:
        got = os.pread(fd, n, off)
    finally:
        os.close(fd)
    if got != want:
        die(f"{path}: {len(got)} bytes at {off} differ from {src} ({len(want)} bytes)")


def cmd_sha(path, chunk=1 << 20):
    h = hashlib.sha256()
    with open(path, "rb", buffering=0) as f:
        while True:
            b = f.read(chunk)
            if not b:
                break
            h.update(b)
    print(h.hexdigest())


def cmd_errno(path, off, n, name, nonblock):
    want = getattr(errno, name)
    flags = os.O_RDONLY | (os.O_NONBLOCK if nonblock else 0)
    fd = os.open(path, flags)
    try:
        os.pread(fd, n, off)
    except OSError as e:
        if e.errno == want:
            return
        die(f"{path}: read failed with {errno.errorcode.get(e.errno)}, wanted {name}")
    finally:
        os.close(fd)
    die(f"{path}: read succeeded, wanted {name}")


def cmd_until_error(path, started):
    fd = os.open(path, os.O_RDONLY)
    off = 0
    first = True
    try:
        while True:
            try:
                b = os.pread(fd, 65536, off)
            except OSError as e:
                if e.errno == errno.EIO:
                    print(f"EIO at {off}")
                    return
                die(f"read failed with {errno.errorcode.get(e.errno)}")
            if not b:
                die(f"read the whole file ({off} bytes) without an error")
            off += len(b)
            if first:
                open(started, "w").close()
                first = False
    finally:
        os.close(fd)


def cmd_hold(path, seconds, ready):
    fd = os.open(path, os.O_RDONLY)
    open(ready, "w").close()
    time.sleep(seconds)
    os.close(fd)


def main(a):
    if len(a) >= 5 and a[0] == "cmp":
        cmd_cmp(a[1], a[2], int(a[3]), int(a[4]))
    elif len(a) in (2, 3) and a[0] == "sha":
        cmd_sha(a[1], int(a[2]) if len(a) == 3 else 1 << 20)
    elif len(a) in (5, 6) and a[0] == "errno":
        cmd_errno(a[1], int(a[2]), int(a[3]), a[4], len(a) == 6 and a[5] == "--nonblock")
    elif len(a) == 3 and a[0] == "until-error":
        cmd_until_error(a[1], a[2])
    elif len(a) == 4 and a[0] == "hold":
        cmd_hold(a[1], float(a[2]), a[3])
    else:
        die(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
