#!/usr/bin/python3
"""mountread.py — timed reads of a file through a FUSE mount, for bench/mount.

Every figure goes to stdout on one line; errors to stderr with exit status 1.

  ttfb FILE OFFSET SIZE [WAIT_S]
      waits (up to WAIT_S seconds, default 60, polling every 1 ms) until FILE
      exists, then prints the milliseconds taken by open + one pread of SIZE
      bytes at OFFSET (the time to the first byte), followed by the sha256 of
      the bytes read (the caller compares it with the payload's).
  seq FILE [CHUNK [REF]]
      reads the whole file from open to EOF in CHUNK-byte reads (default
      1 MiB) into memory (as much as the file's size); prints "MBPS SHA256"
      (MB = 10^6 bytes, as bench/swarm). With REF (the payload), the ranges
      read wrong are named on stderr.
  rand FILE N SIZE SEED
      N reads of SIZE bytes at random 4 KiB-aligned offsets drawn from
      random.Random(SEED) (the same offsets for the same file size and seed),
      with readahead off (POSIX_FADV_RANDOM); prints "MEDIAN_MS P99_MS".
  evict FILE...
      drops the page cache of each FILE (POSIX_FADV_DONTNEED), so the next read
      of a FUSE file reaches the filesystem instead of the kernel's cache.
  slice FILE OFFSET SIZE
      prints the sha256 of SIZE bytes at OFFSET (a plain read, for reference).
"""
import hashlib
import mmap
import os
import random
import sys
import time


def die(msg):
    print(f"mountread: {msg}", file=sys.stderr)
    sys.exit(1)


def cmd_ttfb(path, off, size, wait_s=60.0, t0_ns=None):
    deadline = time.monotonic() + wait_s
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            die(f"{path} did not appear within {wait_s} s")
        time.sleep(0.001)
    t0 = time.perf_counter()
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.pread(fd, size, off)
        t1 = time.perf_counter()
    finally:
        os.close(fd)
    if len(data) != size:
        die(f"short read at {off}: {len(data)} of {size} bytes")
    # with t0_ns (time.time_ns() when the torrent was asked for), the figure
    # runs from then: waiting for the file to show is part of it
    ms = (time.time_ns() - t0_ns) / 1e6 if t0_ns else (t1 - t0) * 1000
    print(f"{ms:.1f} {hashlib.sha256(data).hexdigest()}")


def cmd_seq(path, chunk=1 << 20, ref=None):
    # The bytes land in one buffer of the file's size (allocated and touched
    # before the clock starts) and are hashed after it stops: hashing inside
    # the loop (sha256 runs at ~1.5 GB/s) would cap the figure.
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        buf = mmap.mmap(-1, max(size, 1))
        for i in range(0, size, mmap.PAGESIZE):
            buf[i] = 0
        mv = memoryview(buf)
        n = 0
        t0 = time.perf_counter()
        while n < size:
            got = os.readv(fd, [mv[n:min(n + chunk, size)]])
            if got == 0:
                break
            n += got
        if n == size and os.read(fd, chunk):
            die(f"{path}: more than its {size} bytes")
        secs = time.perf_counter() - t0
    finally:
        os.close(fd)
    if n != size:
        die(f"{path}: EOF after {n} of {size} bytes")
    if ref:
        report_diff(mv[:n], ref, 16384)  # a BitTorrent block
    print(f"{n / 1e6 / secs:.1f} {hashlib.sha256(mv[:n]).hexdigest()}")


def report_diff(data, ref, chunk):
    """Names on stderr the chunk-aligned ranges of data that differ from ref."""
    bad = []
    with open(ref, "rb", buffering=0) as f:
        for off in range(0, len(data), chunk):
            want = f.read(chunk)
            got = data[off:off + len(want)]
            if got != want:
                zero = not any(got)
                if bad and bad[-1][1] == off and bad[-1][2] == zero:
                    bad[-1][1] = off + len(want)
                else:
                    bad.append([off, off + len(want), zero])
    for a, b, zero in bad:
        print(f"mountread: bytes [{a}, {b}) differ from {ref}" + (" (read as zeros)" if zero else ""),
              file=sys.stderr)


def cmd_rand(path, n, size, seed):
    total = os.stat(path).st_size
    rng = random.Random(seed)
    offs = [rng.randrange(0, (total - size) // 4096 + 1) * 4096 for _ in range(n)]
    lat = []
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
        for off in offs:
            t0 = time.perf_counter()
            got = len(os.pread(fd, size, off))
            lat.append((time.perf_counter() - t0) * 1000)
            if got != size:
                die(f"short read at {off}: {got} of {size} bytes")
    finally:
        os.close(fd)
    lat.sort()
    median = (lat[(n - 1) // 2] + lat[n // 2]) / 2
    p99 = lat[min(n - 1, -(-99 * n // 100) - 1)]  # nearest rank
    print(f"{median:.2f} {p99:.2f}")


def cmd_evict(paths):
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def cmd_slice(path, off, size):
    with open(path, "rb") as f:
        f.seek(off)
        print(hashlib.sha256(f.read(size)).hexdigest())


def main(a):
    if len(a) in (4, 5, 6) and a[0] == "ttfb":
        cmd_ttfb(a[1], int(a[2]), int(a[3]), float(a[4]) if len(a) > 4 else 60.0,
                 int(a[5]) if len(a) > 5 else None)
    elif len(a) in (2, 3, 4) and a[0] == "seq":
        cmd_seq(a[1], int(a[2]) if len(a) > 2 else 1 << 20, a[3] if len(a) > 3 else None)
    elif len(a) == 5 and a[0] == "rand":
        cmd_rand(a[1], int(a[2]), int(a[3]), int(a[4]))
    elif len(a) >= 2 and a[0] == "evict":
        cmd_evict(a[1:])
    elif len(a) == 4 and a[0] == "slice":
        cmd_slice(a[1], int(a[2]), int(a[3]))
    else:
        die(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
