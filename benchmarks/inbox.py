"""The inbox under load and after a crash, on loopback only: figures, not assertions.

1. Load: `kbgen inbox --proxy 127.0.0.1` (its own process, behind a proxy on loopback) and 50
   concurrent clients, each on its own keep-alive connection and with its own X-Forwarded-For
   address (50 agents behind the intranet's proxy, each within the default rate limit), send
   2,000 clean stories in all.
   Prints throughput and the p50/p95/p99/max answer times, then checks the database: every
   acknowledged story is there, none twice.
2. Kill: the same clients send again; once 500 stories are acknowledged the server gets
   SIGKILL mid-flight. It is started again on the same database, and every client resends the
   story it got no answer for, with the same submission key. Prints how many were
   acknowledged before the kill, how many of those are in the database after the restart, and
   how many resent stories were stored twice (must be none).

Usage: python benchmarks/inbox.py [stories] [clients]
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from tools import free_port  # noqa: E402

from kbgen.inbox.store import Store  # noqa: E402

TIME_LIMIT_S = 120
"""Every loop below stops by this deadline, whatever happens."""

WORDS = "angry refund engineer billing delay line broadband parcel meter router invoice".split()


def story(client: int, number: int) -> dict:
    """A clean story, different for every client and number (no digits: none look personal)."""
    a, b = WORDS[client % len(WORDS)], WORDS[number % len(WORDS)]
    return {
        "title": f"The {a} caller and the {b}",
        "author": "",
        "channel": "phone",
        "situations": [],
        "techniques": ["let-them-vent"],
        "outcome": "Resolved on the call.",
        "lesson": "Let them finish, then offer the fix.",
        "body": f"The customer was angry about the {a} and the {b} and shouted at me on the "
        "call. I let them finish, apologised and offered the next slot.",
        "submission": f"bench-{client:03d}-{number:05d}-{os.getpid()}",
    }


def start_inbox(folder: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "kbgen.cli", "inbox", "--port", str(port), "--proxy", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/inbox/api/status")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("kbgen inbox did not start")


@dataclass
class Client:
    number: int
    port: int
    acknowledged: dict[str, str] = field(default_factory=dict)  # submission key: receipt
    in_flight: dict | None = None  # the story sent when the server went away
    times: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def send(self, body: dict, connection: http.client.HTTPConnection) -> str | None:
        headers = {
            "Content-Type": "application/json",
            "Origin": f"http://127.0.0.1:{self.port}",
            "X-Forwarded-For": f"10.0.{self.number // 250}.{self.number % 250 + 1}",
        }
        start = time.perf_counter()
        connection.request("POST", "/inbox/api/stories", json.dumps(body), headers)
        response = connection.getresponse()
        answer = json.loads(response.read())
        self.times.append(time.perf_counter() - start)
        self.statuses.append(response.status)
        return answer.get("receipt") if response.status == 201 else None

    def run(self, stories: int, first: int, stop: threading.Event, deadline: float) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for number in range(first, first + stories):
            if stop.is_set() or time.monotonic() > deadline:
                break
            body = story(self.number, number)
            self.in_flight = body
            try:
                receipt = self.send(body, connection)
            except (OSError, http.client.HTTPException, ValueError):
                return  # no answer: not acknowledged; in_flight keeps it for the resend
            self.in_flight = None
            if receipt:
                self.acknowledged[body["submission"]] = receipt
        connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_clients(clients: list[Client], each: int, first: int, stop: threading.Event) -> float:
    deadline = time.monotonic() + TIME_LIMIT_S
    threads = [threading.Thread(target=c.run, args=(each, first, stop, deadline)) for c in clients]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT_S + 10)
    return time.perf_counter() - start


def load(folder: Path, total: int, count: int) -> None:
    port = free_port()
    server = start_inbox(folder, port)
    clients = [Client(n, port) for n in range(count)]
    try:
        elapsed = run_clients(clients, total // count, 0, threading.Event())
    finally:
        server.terminate()
        server.wait(timeout=10)
    times = [t for c in clients for t in c.times]
    statuses = [s for c in clients for s in c.statuses]
    acked = {k: r for c in clients for k, r in c.acknowledged.items()}
    store = Store(folder / "inbox.sqlite3", create=False)
    kept = store.receipts()
    store.close()
    print(f"load: {count} clients, {len(times)} stories sent in {elapsed:.1f} s")
    print(f"  throughput       {len(times) / elapsed:8.0f} stories/s")
    print(f"  answer time p50  {statistics.median(times) * 1000:8.1f} ms")
    print(f"  answer time p95  {percentile(times, 0.95) * 1000:8.1f} ms")
    print(f"  answer time p99  {percentile(times, 0.99) * 1000:8.1f} ms")
    print(f"  answer time max  {max(times) * 1000:8.1f} ms")
    print(f"  answers          {dict(sorted(_count(statuses).items()))}")
    print(
        f"  acknowledged     {len(acked)}; in the database: {len(set(acked.values()) & set(kept))}"
    )
    print(f"  stored twice     {len(kept) - len(set(kept))}; rows {len(kept)}")


def kill(folder: Path, total: int, count: int) -> None:
    port = free_port()
    server = start_inbox(folder, port)
    clients = [Client(n, port) for n in range(count)]
    stop = threading.Event()

    def killer() -> None:
        deadline = time.monotonic() + TIME_LIMIT_S
        while time.monotonic() < deadline:
            if sum(len(c.acknowledged) for c in clients) >= total // 4:
                break
            time.sleep(0.002)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)

    watcher = threading.Thread(target=killer)
    watcher.start()
    run_clients(clients, total // count, 0, stop)
    watcher.join()
    acked = {k: r for c in clients for k, r in c.acknowledged.items()}
    unanswered = [c.in_flight for c in clients if c.in_flight]
    store = Store(folder / "inbox.sqlite3", create=False)
    before_restart = set(store.receipts())  # what the killed server had committed
    store.close()
    restarted = start_inbox(folder, port)
    resent_receipts: list[str] = []
    try:
        for client in clients:
            if client.in_flight is None:
                continue
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            receipt = client.send(client.in_flight, connection)
            connection.close()
            if receipt:
                resent_receipts.append(receipt)
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
    store = Store(folder / "inbox.sqlite3", create=False)
    kept = store.receipts()
    store.close()
    already = len(set(resent_receipts) & before_restart)
    print(f"kill: SIGKILL after {len(acked)} acknowledged stories, {len(unanswered)} in flight")
    print(
        f"  acknowledged and in the database after restart: "
        f"{len(set(acked.values()) & set(kept))} of {len(acked)}"
    )
    print(
        f"  in-flight stories resent with their key: {len(unanswered)}, of which "
        f"{max(already, 0)} had been stored before the kill (same receipt back)"
    )
    print(f"  stored twice     {len(kept) - len(set(kept))}; rows {len(kept)}")
    integrity = Store(folder / "inbox.sqlite3", create=False)
    check = integrity._read("PRAGMA integrity_check")[0][0]
    integrity.close()
    print(f"  SQLite integrity_check: {check}")


def _count(values: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def main(total: int = 2000, count: int = 50) -> None:
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        load(Path(first), total, count)
        kill(Path(second), total, count)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
