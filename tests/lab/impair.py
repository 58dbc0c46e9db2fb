#!/usr/bin/env python3
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# impair.py: a two-port Ethernet bridge that loses, duplicates and reorders
# IP datagrams, for the lossy-path tests (this project's kernels have no
# netem).  Run it in the middle namespace of "scripts/lab.sh up-path NAME":
#
#   impair.py [--loss PCT] [--dup PCT] [--reorder PCT] [--seed N] IF1 IF2
#
# Every frame that arrives on one port leaves by the other.  IPv4 and IPv6
# frames, except neighbour discovery, are impaired independently in each
# direction: lost with --loss percent, sent twice with --dup percent, held
# back with --reorder percent until the next frame in that direction has
# left (or 20 ms have passed), so that the two arrive swapped.  ARP and
# neighbour discovery pass untouched, so that impairment never looks like a
# missing host.  SIGTERM or SIGINT ends it with one line of counts on
# standard error, with the frames the kernel dropped before it could read
# them (a loss beyond --loss; its queues are 8 MiB, so there should be
# none).
import argparse
import random
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
HOLD_S = 0.020
SOL_PACKET = 263
PACKET_STATISTICS = 6
SO_RCVBUFFORCE = 33
RCVBUF = 8 << 20


def impairable(frame):
    """IP, but not ICMPv6 neighbour discovery (types 133-137)."""
    if len(frame) < 14:
        return False
    etype = int.from_bytes(frame[12:14], "big")
    if etype == 0x0800:
        return True
    if etype == 0x86DD:
        # Next header 58 (ICMPv6) right after the fixed header.
        if len(frame) > 54 and frame[20] == 58 and 133 <= frame[54] <= 137:
            return False
        return True
    return False


class Port:
    def __init__(self, name):
        self.name = name
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_ALL))
        # A queue that bursts of -j 32 do not fill: the path's loss is
        # what --loss says, not also what this program could not read
        # in time (SO_RCVBUFFORCE, as root: past net.core.rmem_max).
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE,
                                 RCVBUF)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                                 RCVBUF)
        self.sock.bind((name, 0))
        self.held = None        # (frame, deadline) held back to reorder
        self.out = None         # the other port

    def kernel_drops(self):
        """Frames the kernel dropped because the queue was full."""
        try:
            st = self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
        except OSError:
            return 0
        return int.from_bytes(st[4:8], sys.byteorder)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loss", type=float, default=0)
    ap.add_argument("--dup", type=float, default=0)
    ap.add_argument("--reorder", type=float, default=0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("if1")
    ap.add_argument("if2")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    p1, p2 = Port(a.if1), Port(a.if2)
    p1.out, p2.out = p2, p1
    counts = {"frames": 0, "lost": 0, "duplicated": 0, "reordered": 0}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    print("impair.py: bridging %s and %s: loss %g%%, dup %g%%, reorder %g%%"
          % (a.if1, a.if2, a.loss, a.dup, a.reorder), file=sys.stderr,
          flush=True)

    def send(port, frame):
        try:
            port.out.sock.send(frame)
        except OSError:
            pass

    def release(port):
        if port.held is not None:
            send(port, port.held[0])
            port.held = None

    while not stop:
        now = time.monotonic()
        timeout = 0.5
        for p in (p1, p2):
            if p.held is not None:
                timeout = min(timeout, max(0, p.held[1] - now))
        try:
            ready, _, _ = select.select([p1.sock, p2.sock], [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for p in (p1, p2):
            if p.held is not None and p.held[1] <= now:
                release(p)
        for s in ready:
            p = p1 if s is p1.sock else p2
            try:
                frame, addr = s.recvfrom(65600)
            except OSError:
                continue
            if addr[2] == PACKET_OUTGOING:
                continue
            counts["frames"] += 1
            if not impairable(frame):
                send(p, frame)
                continue
            r = rnd.random() * 100
            if r < a.loss:
                counts["lost"] += 1
                continue
            r -= a.loss
            if r < a.dup:
                counts["duplicated"] += 1
                send(p, frame)
                send(p, frame)
                release(p)
                continue
            r -= a.dup
            if r < a.reorder and p.held is None:
                counts["reordered"] += 1
                p.held = (frame, now + HOLD_S)
                continue
            send(p, frame)
            release(p)
    counts["dropped"] = p1.kernel_drops() + p2.kernel_drops()
    print("impair.py: %(frames)d frames, %(lost)d lost, %(duplicated)d "
          "duplicated, %(reordered)d reordered, %(dropped)d dropped by the "
          "kernel (queue full)" % counts, file=sys.stderr)


if __name__ == "__main__":
    main()
