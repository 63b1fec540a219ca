"""How long each of kbgen's own steps takes, to report next to MkDocs' total build time."""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


class Stopwatch:
    """Accumulates the time spent in named steps, in the order they first ran."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a step. The cyclic garbage collector pauses meanwhile: a step builds thousands
        of long-lived objects, and each collection would walk all of them again."""
        start = time.perf_counter()
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if collecting:
                gc.enable()
            self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.steps.values())

    def report(self) -> str:
        parts = ", ".join(f"{name} {seconds:.2f}" for name, seconds in self.steps.items())
        return f"{self.total:.2f} s ({parts})"
