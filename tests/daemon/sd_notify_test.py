#!/usr/bin/env python3
"""systemd integration without systemd: socket activation (systemd-socket-activate passes the
listening socket as fd 3) and the sd_notify protocol (a NOTIFY_SOCKET we listen on): READY=1 with
STATUS=, WATCHDOG=1 at half of WATCHDOG_USEC, RELOADING=1 + MONOTONIC_USEC= ... READY=1 around a
SIGHUP reload, STOPPING=1 and exit 0 on SIGTERM.

Usage: sd_notify_test.py SERVER_BINARY   (coursecal_fake_serve)
Exit 77 (skip) only when systemd-socket-activate is not installed.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def main() -> int:
    binary = sys.argv[1]
    activate = shutil.which("systemd-socket-activate")
    if not activate:
        print("SKIP: systemd-socket-activate not installed")
        return 77
    tmp = tempfile.mkdtemp()
    try:
        os.makedirs(f"{tmp}/site/_modules")
        with open(f"{tmp}/site/_modules/week-01.md", "w") as f:
            f.write("---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} Intro\n")
        with open(f"{tmp}/coursecal.yaml", "w") as f:
            f.write("site: site\n")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(f"{tmp}/notify")
        notify.settimeout(5)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()

        proc = subprocess.Popen(
            [activate, "-l", f"127.0.0.1:{port}", "-E", f"NOTIFY_SOCKET={tmp}/notify",
             "-E", "WATCHDOG_USEC=400000", binary, "-c", f"{tmp}/coursecal.yaml"],
            stderr=subprocess.PIPE, text=True)
        try:
            # systemd-socket-activate starts the server on the first connection.
            for _ in range(50):
                try:
                    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/fake.ics",
                                                  timeout=5).read().decode()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                print("FAIL: no answer on the activated socket")
                return 1
            assert "Intro" in body, body

            def expect(prefix: str, within: float = 5.0) -> str:
                deadline = time.monotonic() + within
                while time.monotonic() < deadline:
                    msg = notify.recv(4096).decode()
                    if msg.startswith(prefix):
                        return msg
                raise AssertionError(f"no {prefix!r} notification")

            ready = expect("READY=1")
            assert "STATUS=serving 1 feed(s), 1 events; last reload ok" in ready, ready
            start = time.monotonic()
            expect("WATCHDOG=1", 2)
            expect("WATCHDOG=1", 2)
            assert time.monotonic() - start < 1.5, "watchdog pings too slow"

            proc.send_signal(signal.SIGHUP)
            reloading = expect("RELOADING=1")
            assert "MONOTONIC_USEC=" in reloading, reloading
            usec = int(reloading.split("MONOTONIC_USEC=")[1].split("\n")[0])
            assert abs(usec / 1e6 - time.clock_gettime(time.CLOCK_MONOTONIC)) < 10, usec
            ready = expect("READY=1")
            assert "last reload ok" in ready, ready

            proc.send_signal(signal.SIGTERM)
            expect("STOPPING=1")
            rc = proc.wait(timeout=10)
            err = proc.stderr.read()
            assert rc == 0, f"exit {rc}: {err}"
            assert f"<6>coursecal: listening on http://127.0.0.1:{port}/" in err, err
            print("PASS: socket activation, READY/WATCHDOG/RELOADING/STOPPING, exit 0")
            return 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
