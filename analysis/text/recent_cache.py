"""A bounded cache that keeps the entries in use: the per-word and per-chunk caches of a long run.

A cache that starts afresh when full forgets the frequent words with the rare ones, and the
next documents make them all again. Deep into a large archive (new word types keep coming) the
analysis's chunk cache filled every ~9,000 articles that way, and ~13 of the 22 chunks an article
missed were frequent ones made again (``benchmarks/pass_cost.py``). :class:`RecentCache` keeps two
generations: new entries go to the young one; when it is full it becomes the old one and the
previous old one is dropped; an old entry that is asked for moves back to the young one. So the
entries used since the last turn survive it, and the cache holds at most ``2 × size`` entries.

>>> cache = RecentCache(2)
>>> cache.add("Krieg", 1), cache.add("Frieden", 2), cache.add("Kyjiw", 3)
(1, 2, 3)
>>> cache.lookup(["Krieg", "Kyjiw", "Kursk"])  # Krieg was old: it moves back to the young generation
[1, 3, None]
>>> cache.add("Kursk", 4), cache.get("Frieden")  # the young one was full: Frieden, unused, is gone
(4, None)
"""

from __future__ import annotations


class RecentCache:
    """At most ``2 × size`` entries; those used since the young generation last filled are kept."""

    __slots__ = ("size", "young", "old")

    def __init__(self, size: int):
        if size < 1:
            raise ValueError(f"size must be at least 1, not {size!r}.")
        self.size, self.young, self.old = size, {}, {}

    def __len__(self) -> int:
        return len(self.young) + len(self.old)

    def lookup(self, keys: list, make=None) -> list:
        """The value of each key, None where there is none (values must not be None); with
        ``make``, a missing key's value is ``make(key)``, kept (once for a key given twice).

        >>> RecentCache(4).lookup(["Krieg", "und", "Krieg"], make=len)
        [5, 3, 5]
        """
        found = list(map(self.young.get, keys))
        if None in found and (self.old or make is not None):
            for k in [k for k, value in enumerate(found) if value is None]:
                value = self.get(keys[k])  # an old entry, or one made for the same key earlier in this call
                if value is None and make is not None:
                    value = self.add(keys[k], make(keys[k]))
                found[k] = value
        return found

    def get(self, key):
        """The value of ``key`` or None; an old entry moves back to the young generation."""
        value = self.young.get(key)
        if value is None:
            value = self.old.pop(key, None)
            if value is not None:
                self.add(key, value)
        return value

    def add(self, key, value):
        """Keep ``value`` for ``key`` (in the young generation) and return it."""
        if len(self.young) >= self.size:
            self.old, self.young = self.young, {}
        self.young[key] = value
        return value

    def clear(self) -> None:
        self.young, self.old = {}, {}
