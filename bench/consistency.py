#!/usr/bin/env python3
"""Consistency soak of HUD's model-cache layer (run by bench/consistency.sh).

Writers change preferences, admin flags, an ignore list and the pages list through HUD (its
API and its CLI, so every write takes HUD's own write path); readers read them back through
every instance; a fault injector freezes (SIGSTOP), kills and restarts the memcached servers
and terminates the instances' listener connections. The checker counts *stale reads*: a read
that began at least STALE_AFTER seconds after a write had committed (its response had come
back) and returned an older value. The figure that counts must be 0.

Arguments: JSON on stdin with the instances' base URLs, the hud binary, the memcached
processes (pid, port, argv) and the psql URL; the report is printed as JSON.
"""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

STALE_AFTER = 1.0
LANGS = ["en", "nl", "sv", "nb", "fr"]
ZONES = [
    "Europe/Oslo", "Europe/Stockholm", "Europe/Paris", "Europe/Amsterdam", "Europe/London",
    "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Helsinki", "Europe/Athens",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Toronto", "America/Sao_Paulo", "Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai",
    "Asia/Kolkata", "Asia/Dubai", "Australia/Sydney", "Pacific/Auckland", "Africa/Cairo",
    "Africa/Nairobi", "Atlantic/Reykjavik", "America/Mexico_City", "Asia/Singapore",
    "Asia/Jakarta", "Europe/Lisbon",
]
COMBOS = [(lang, zone) for zone in ZONES for lang in LANGS]


def http(method, url, token=None, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("accept", "application/json")
    if data is not None:
        request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, json.loads(response.read() or b"null")


class History:
    """The writes of one value, in order: [value, sent at, response back at (None: in flight)].
    A write's response comes back after its COMMIT, so "back at" is a safe commit time."""

    def __init__(self, initial):
        self.lock = threading.Lock()
        self.writes = [[initial, 0.0, 0.0]]

    def begin(self, value):
        with self.lock:
            self.writes.append([value, time.monotonic(), None])
            return len(self.writes) - 1

    def done(self, index):
        with self.lock:
            self.writes[index][2] = time.monotonic()

    def is_stale(self, began, ended, value):
        """None, or the write that had committed STALE_AFTER seconds before the read began and
        that `value` (read from `began` to `ended`) is older than."""
        with self.lock:
            writes = [list(w) for w in self.writes]
        k = max(i for i, w in enumerate(writes) if w[2] is not None and w[2] <= began - STALE_AFTER)
        # The read may see write k or any later one sent before the read ended.
        allowed = {writes[i][0] for i in range(k, len(writes)) if i == k or writes[i][1] < ended}
        return None if value in allowed else (writes[k][2], writes[k][0])


class Soak:
    def __init__(self, config):
        self.config = config
        self.instances = config["instances"]
        self.stop = threading.Event()
        self.counts = {"writes": 0, "reads": 0, "stale_reads": 0, "read_errors": 0,
                       "write_errors": 0, "faults": 0}
        self.faults = {}
        self.stale = []
        self.children = []
        self.fault_log = []
        self.last_base = {}
        self.lock = threading.Lock()

    def count(self, key, n=1):
        with self.lock:
            self.counts[key] += n

    def fault(self, kind, started):
        with self.lock:
            self.fault_log.append((round(started, 3), kind))
            self.counts["faults"] += 1
            self.faults[kind] = self.faults.get(kind, 0) + 1

    def check(self, kind, history, began, ended, value):
        self.count("reads")
        replaced_by = history.is_stale(began, ended, value)
        if replaced_by is not None:
            self.count("stale_reads")
            with self.lock:
                if len(self.stale) < 20:
                    self.stale.append({"kind": kind, "value": value, "began": round(began, 3),
                                       "expected": replaced_by[1],
                                       "committed_s_before": round(began - replaced_by[0], 3),
                                       "instance": self.last_base.get(threading.get_ident())})

    def cli(self, *args):
        env = dict(self.config["env"])
        return subprocess.run([self.config["hud"], *args], env=env, capture_output=True,
                              text=True, timeout=60)

    # ------------------------------------------------------------------ writers & readers

    def preferences(self, user):
        token, history = user["token"], user["prefs"]
        n = 0
        while not self.stop.is_set():
            n += 1
            lang, zone = COMBOS[n % len(COMBOS)]
            base = random.choice(self.instances)
            write = history.begin((lang, zone))
            try:
                http("PATCH", f"{base}/api/v1/me/preferences", token,
                     {"language": lang, "timezone": zone})
                history.done(write)
                self.count("writes")
            except (urllib.error.URLError, OSError):
                # Unknown outcome: it may have committed; it stays "in flight" for ever.
                self.count("write_errors")
            time.sleep(random.uniform(0.2, 0.6))

    def read_preferences(self, user):
        token, history = user["token"], user["prefs"]
        while not self.stop.is_set():
            base = random.choice(self.instances)
            self.last_base[threading.get_ident()] = base
            began = time.monotonic()
            try:
                _, me = http("GET", f"{base}/api/v1/me", token)
            except (urllib.error.URLError, OSError):
                self.count("read_errors")
                continue
            ended = time.monotonic()
            self.check("preferences", history, began, ended, (me["language"], me["timezone"]))
            self.check("admin", self.flip_history, began, ended, me["is_admin"]) \
                if user is self.flip else None

    def admin_flags(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            value = n % 2 == 1
            write = self.flip_history.begin(value)
            result = self.cli("users", "set-admin", self.flip["name"], "true" if value else "false")
            if result.returncode == 0:
                self.flip_history.done(write)
                self.count("writes")
            else:
                self.count("write_errors")
            time.sleep(random.uniform(0.3, 0.8))

    def ignore_list(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            words = [f"soak{n}"]
            base = random.choice(self.instances)
            write = self.list_history.begin(tuple(words))
            try:
                http("PUT", f"{base}/api/v1/ignore-lists/{self.list_id}", self.admin,
                     {"name": "soak", "words": words})
                self.list_history.done(write)
                self.count("writes")
            except (urllib.error.URLError, OSError):
                self.count("write_errors")
            time.sleep(random.uniform(0.2, 0.5))

    def read_ignore_list(self):
        while not self.stop.is_set():
            base = random.choice(self.instances)
            began = time.monotonic()
            try:
                _, lists = http("GET", f"{base}/api/v1/ignore-lists", self.admin)
            except (urllib.error.URLError, OSError):
                self.count("read_errors")
                continue
            ended = time.monotonic()
            items = lists["items"] if isinstance(lists, dict) else lists
            words = next((tuple(l["words"]) for l in items if l["id"] == self.list_id), None)
            self.check("ignore_list", self.list_history, began, ended, words)

    def pages(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            url = f"https://soak{n}.example/"
            result = self.cli("pages", "add", url)
            if result.returncode == 0:
                with self.lock:
                    self.added.append((time.monotonic(), url))
                self.count("writes")
            else:
                self.count("write_errors")
            time.sleep(random.uniform(0.5, 1.0))

    def read_pages(self):
        while not self.stop.is_set():
            base = random.choice(self.instances)
            began = time.monotonic()
            try:
                _, pages = http("GET", f"{base}/api/v1/pages", self.admin)
            except (urllib.error.URLError, OSError):
                self.count("read_errors")
                continue
            items = pages["items"] if isinstance(pages, dict) else pages
            seen = {p["url"] for p in items}
            with self.lock:
                due = [u for t, u in self.added if t <= began - STALE_AFTER]
            self.count("reads")
            missing = [u for u in due if u not in seen]
            if missing:
                self.count("stale_reads")
                with self.lock:
                    if len(self.stale) < 20:
                        self.stale.append({"kind": "pages", "missing": missing[:3], "began": began})

    # ------------------------------------------------------------------ faults

    def inject(self):
        servers = self.config["memcached"]
        while not self.stop.is_set():
            time.sleep(random.uniform(1.0, 2.5))
            if self.stop.is_set():
                break
            kind = random.choice(["freeze", "kill", "listener", "freeze", "listener"])
            server = random.choice(servers)
            started = time.monotonic()
            if kind == "freeze":
                os.kill(server["pid"], signal.SIGSTOP)
                time.sleep(random.uniform(0.5, 2.0))
                os.kill(server["pid"], signal.SIGCONT)
            elif kind == "kill":
                os.kill(server["pid"], signal.SIGKILL)
                wait_gone(server["port"])
                time.sleep(random.uniform(0.5, 1.5))
                proc = subprocess.Popen(server["argv"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
                server["pid"] = proc.pid
                self.children.append(proc)
            else:
                subprocess.run(["psql", "-qAt", self.config["psql"], "-c",
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND query LIKE 'LISTEN%'"],
                               capture_output=True, timeout=30)
            self.fault(kind, started)

    # ------------------------------------------------------------------ run

    def setup(self):
        base = self.instances[0]
        password = self.config["password"]
        _, token = http("POST", f"{base}/api/v1/auth/token", None,
                        {"username": "soakadmin", "password": password})
        self.admin = token["token"]
        self.users = []
        for name in self.config["users"]:
            _, t = http("POST", f"{base}/api/v1/auth/token", None,
                        {"username": name, "password": password})
            self.users.append({"name": name, "token": t["token"], "prefs": History((None, None))})
        self.flip = self.users[0]
        self.flip_history = History(False)
        _, created = http("POST", f"{base}/api/v1/ignore-lists", self.admin,
                          {"name": "soak", "words": ["soak0"]})
        self.list_id = created["id"]
        self.list_history = History(("soak0",))
        self.added = []

    def run(self, seconds):
        self.setup()
        threads = [threading.Thread(target=self.inject, daemon=True),
                   threading.Thread(target=self.admin_flags, daemon=True),
                   threading.Thread(target=self.ignore_list, daemon=True),
                   threading.Thread(target=self.pages, daemon=True)]
        for _ in range(2):
            threads.append(threading.Thread(target=self.read_ignore_list, daemon=True))
            threads.append(threading.Thread(target=self.read_pages, daemon=True))
        for user in self.users:
            threads.append(threading.Thread(target=self.preferences, args=(user,), daemon=True))
            for _ in range(2):
                threads.append(threading.Thread(target=self.read_preferences, args=(user,),
                                                daemon=True))
        for t in threads:
            t.start()
        time.sleep(seconds)
        self.stop.set()
        for t in threads:
            t.join(timeout=30)
        first = self.fault_log[0][0] if self.fault_log else 0
        log = " ".join(f"{round(at - first, 1)}s:{kind}" for at, kind in self.fault_log)
        return {**self.counts, "faults_by_kind": self.faults, "stale_examples": self.stale,
                "fault_log": log}


def wait_gone(port):
    """Wait until a killed server's port refuses connections (it can be bound again)."""
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
        except OSError:
            return
        time.sleep(0.01)


def main():
    config = json.load(sys.stdin)
    soak = Soak(config)
    try:
        report = soak.run(float(config.get("seconds", 60)))
    finally:
        for server in config["memcached"]:
            try:
                os.kill(server["pid"], signal.SIGCONT)
            except ProcessLookupError:
                pass
        for proc in soak.children:
            proc.kill()
    print(json.dumps(report, indent=1))
    return 0 if report["stale_reads"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
