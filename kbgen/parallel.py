"""Spreading independent work over the machine's cores, for big handbooks.

Work runs in forked worker processes, which see the parent's data without copying it. Small
handbooks, and `mkdocs serve` (whose threads must not be forked), stay in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 400
"""Below this, starting worker processes costs more than it saves."""

_workers = 1
shared: dict[str, object] = {}
"""Data the workers read (set before `parallel_map`; fork hands it to them for free)."""


def configure(workers: int | None) -> None:
    """Use `workers` processes from now on (None: one per core; 1: stay in this process)."""
    global _workers
    _workers = max(1, workers if workers is not None else (os.cpu_count() or 1))


def parallel_map(
    function: Callable[[T], R], items: Sequence[T], min_items: int = MIN_ITEMS
) -> list[R]:
    """`[function(item) for item in items]`, in order, spread over the configured workers."""
    if (
        _workers < 2
        or len(items) < min_items
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(items) // (_workers * 4))
    with context.Pool(_workers) as pool:
        return pool.map(function, items, chunksize=chunk)


def workers() -> int:
    return _workers
