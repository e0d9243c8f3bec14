"""What pages derive from one published version (a province's review, its maps and charts), built once per process.

The query layer caches results by version id; what the reviews and figures make of those results changes only
with them, so it is kept under a key that starts with the same version id and names everything else it depends
on, the reader's scope and language included: a publish invalidates it, and one reader's scope never serves
another's. Entries are shared between reruns and sessions: callers treat them as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Cache:
    """A bounded least-recently-used cache of derived objects, keyed by (version id, ...)."""

    def __init__(self, size: int = 64):
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
        """The object under `key`, built by `build()` the first time (two threads may both build it; one wins)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[return-value]
        value = build()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
