"""A write queue kept on disk: a re-parse holds every row it will write until the one short swap.

`reparse` parses the whole archive before it takes the write lock (readers never see the tables
empty), so every INSERT waits until the end.  Held in a Python list that was ~0.13 MB per report
(1.35 GB at 10,000 reports: cells, sections, bigrams, record JSON); here each batch of statements
is pickled to an unnamed temporary file and read back in order, so memory stays flat.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BATCH = 5000  # statements pickled together (one pickle per batch keeps the file compact and fast)


class SpillQueue:
    """`append` (sql, params) tuples; iterate to get them back in the same order (any number of times)."""

    def __init__(self, directory: Path | str | None = None, batch: int = BATCH) -> None:
        # next to the data when given: /tmp may be small, and the queue is about as big as the parsed tables
        self._file = tempfile.TemporaryFile(prefix="nianbao-writes-", dir=directory)
        self._batch: list[Any] = []
        self._size = batch
        self._count = 0

    def append(self, item: Any) -> None:
        self._batch.append(item)
        self._count += 1
        if len(self._batch) >= self._size:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._file.seek(0, 2)
            pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._batch = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        self._flush()
        self._file.seek(0)
        while True:
            try:
                batch = pickle.load(self._file)
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        self._file.close()
