"""Every story the inbox acknowledged is on disk: `kbgen inbox` killed with SIGKILL while
clients send, then started again, still has each acknowledged story, once. (The timed
version, 50 clients and 2,000 stories, is `python benchmarks/inbox.py`.)"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

from inbox_tools import CLEAN_STORY, request, send_story
from tools import free_port

from kbgen.inbox.store import Store

if TYPE_CHECKING:
    from pathlib import Path


def start_inbox(folder: Path, port: int) -> subprocess.Popen:
    """`kbgen inbox` as a trainer starts it, in its own process; returns once it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kbgen.cli", "inbox", "--port", str(port), "--rate-limit", "0"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if request(f"http://127.0.0.1:{port}/", "GET", "/inbox/api/status").status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("kbgen inbox did not start within 20 s")


def test_every_acknowledged_story_survives_a_kill(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = start_inbox(tmp_path, port)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(number: int) -> None:
        for sent in range(200):  # bounded: the kill ends it long before
            if stop.is_set():
                return
            try:
                answer = send_story(base, submission=f"client-{number:02d}-story-{sent:04d}")
            except (OSError, http.client.HTTPException):
                return  # the server is gone: this story was not acknowledged
            if answer.status == 201:
                with lock:
                    acknowledged.append(answer.body["receipt"])

    clients = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    try:
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 10
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)  # mid-flight: clients are still sending
        server.wait(timeout=10)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=15)
        server.kill()
    assert len(acknowledged) >= 40
    restarted = start_inbox(tmp_path, port)
    try:
        assert send_story(base, {**CLEAN_STORY, "title": "After the restart"}).status == 201
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
    store = Store(tmp_path / "inbox.sqlite3", create=False)
    kept = store.receipts()
    store.close()
    assert set(acknowledged) <= set(kept)
    assert len(kept) == len(set(kept))  # none twice
