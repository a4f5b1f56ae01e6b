#!/usr/bin/env python3
"""PostgreSQL faults under load, against a running HUD instance: restarted, then down for 30 s.

Usage: pg_restart.py < config.json, where the config (written by bench/pg-restart.sh) names the
instance URL, an admin's login and password, and the commands that restart, stop and start the
cluster.

Load: LOAD_THREADS threads each request, in a loop, an uncached page that reads PostgreSQL
(`/admin/users` as an admin) or a public cached page (`/`), alternating. Every response is
recorded (time sent, time back, path, status, Retry-After).

Drill 1, restart: `pg_ctl restart -m fast` while the load runs. Reported: the time from
PostgreSQL accepting connections again (polled every 10 ms with a fresh connection) to the last
failed uncached request (the recovery, goal ≤ 2 s; 0 when none failed after it), failed
requests, and the slowest answer during the outage (no hang past the request timeout).

Drill 2, down for 30 s: `pg_ctl stop -m fast`, 30 s, `pg_ctl start`. Reported: the cached
page's answers during the outage (they should stay 200), what `/readyz` said, the statuses and
latency of the uncached page (a fast 503 with Retry-After), and the recovery after the start.

Prints a Markdown report; exits non-zero when a goal is missed.
"""
import http.cookiejar
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

THREADS = 8
TIMEOUT = 30.0


class Client:
    """One logged-in browser: cookies, and the CSRF token of the login form."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect(),
        )

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=TIMEOUT) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def login(self, login, password):
        _, _, body = self.get("/accounts/login")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
        data = urllib.parse.urlencode(
            {"csrf_token": token, "next": "/", "login": login, "password": password}
        ).encode()
        try:
            self.opener.open(self.base + "/accounts/login", data=data, timeout=TIMEOUT)
        except urllib.error.HTTPError as error:
            if error.code != 303:
                raise


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Load:
    """The load threads and everything they saw."""

    def __init__(self, config):
        self.config = config
        self.records = []  # (sent, back, path, status, retry_after)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def worker(self, index):
        client = Client(self.config["url"])
        client.login(self.config["admin"], self.config["password"])
        paths = ["/admin/users", "/"]
        n = index
        while not self.stop.is_set():
            path = paths[n % 2]
            n += 1
            sent = time.monotonic()
            try:
                status, headers, _ = client.get(path)
                retry = headers.get("retry-after")
            except OSError:
                status, retry = 0, None
            back = time.monotonic()
            with self.lock:
                self.records.append((sent, back, path, status, retry))

    def start(self):
        self.threads = [
            threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(THREADS)
        ]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def between(self, start, end, path=None):
        with self.lock:
            return [
                r for r in self.records
                if start <= r[0] < end and (path is None or r[2] == path)
            ]


def accepts_connections(port):
    """Whether PostgreSQL answers a startup packet (a fresh TCP connection and an SSL request,
    which a running server answers with one byte; a starting or stopping one refuses or closes)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"\x00\x00\x00\x08\x04\xd2\x16\x2f")
            return s.recv(1) in (b"S", b"N")
    except OSError:
        return False


def wait_accepting(port):
    while not accepts_connections(port):
        time.sleep(0.01)
    return time.monotonic()


def readyz(url):
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def recovery(load, accepting, until):
    """Seconds from `accepting` to the end of the last failed uncached request sent after the
    fault began, and the number of failures."""
    uncached = load.between(load.fault_began, until, "/admin/users")
    failed = [r for r in uncached if r[3] != 200]
    last = max((r[1] for r in failed), default=accepting)
    return max(0.0, last - accepting), len(failed)


def describe(records):
    statuses = {}
    for r in records:
        statuses[r[3]] = statuses.get(r[3], 0) + 1
    slowest = max((r[1] - r[0] for r in records), default=0.0)
    retry = sorted({r[4] for r in records if r[3] == 503 and r[4]})
    text = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    return text, slowest, retry


def main():
    config = json.load(sys.stdin)
    url, port = config["url"], config["pg_port"]
    load = Load(config)
    load.start()
    time.sleep(5)
    ok = True
    lines = []

    # Drill 1: restart.
    load.fault_began = time.monotonic()
    subprocess.run(config["restart"], shell=True, check=True, capture_output=True)
    accepting = wait_accepting(port)
    time.sleep(5)
    seconds, failures = recovery(load, accepting, time.monotonic())
    during = load.between(load.fault_began, accepting + 2, "/admin/users")
    text, slowest, retry = describe(during)
    total = len(load.between(load.fault_began, time.monotonic()))
    ok &= seconds <= 2.0
    lines += [
        "| drill | figure | value | goal |",
        "|---|---|---:|---|",
        f"| restart (`pg_ctl restart -m fast`) | requests from the restart on | {total} | |",
        f"| | failed uncached requests | {failures} | |",
        f"| | PostgreSQL accepting → last failed uncached request | {seconds:.2f} s | ≤ 2 s |",
        f"| | uncached answers until 2 s after (status: count) | {text} | |",
        f"| | slowest of those | {slowest:.2f} s | < request timeout |",
        f"| | Retry-After on 503 | {', '.join(retry) or '—'} | present |",
    ]

    # Drill 2: down for 30 s.
    load.fault_began = time.monotonic()
    subprocess.run(config["stop"], shell=True, check=True, capture_output=True)
    stopped = time.monotonic()
    ready_during = set()
    while time.monotonic() - stopped < 30:
        ready_during.add(readyz(url))
        time.sleep(1)
    outage_end = time.monotonic()
    subprocess.run(config["start"], shell=True, check=True, capture_output=True)
    accepting = wait_accepting(port)
    time.sleep(5)
    seconds, failures = recovery(load, accepting, time.monotonic())
    ready_after = readyz(url)
    load.finish()
    cached = load.between(stopped + 1, outage_end, "/")
    cached_text, cached_slowest, _ = describe(cached)
    uncached = load.between(stopped + 1, outage_end, "/admin/users")
    text, slowest, retry = describe(uncached)
    for sent, back, _, status, _ in uncached:
        if status == 200:
            print(f"uncached 200 during the stop: sent {sent - stopped:.3f} s after it, "
                  f"answered after {back - sent:.3f} s", file=sys.stderr)
    cached_ok = all(r[3] == 200 for r in cached) and cached
    ok &= bool(cached_ok) and seconds <= 2.0 and ready_during == {503} and ready_after == 200
    ok &= slowest < 10 and bool(retry)
    lines += [
        f"| down 30 s (`pg_ctl stop -m fast`, 30 s, `start`) | cached `/` during the outage (status: count) | {cached_text} | all 200 |",
        f"| | slowest cached answer | {cached_slowest:.3f} s | |",
        f"| | uncached `/admin/users` during the outage (status: count) | {text} | 503 |",
        f"| | slowest uncached answer | {slowest:.2f} s | fast |",
        f"| | Retry-After on 503 | {', '.join(retry) or '—'} | present |",
        f"| | `/readyz` during / after | {', '.join(map(str, sorted(ready_during)))} / {ready_after} | 503 / 200 |",
        f"| | PostgreSQL accepting → last failed uncached request | {seconds:.2f} s | ≤ 2 s |",
        f"| | failed uncached requests from the stop on | {failures} | |",
    ]
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
