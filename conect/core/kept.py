"""What a process keeps once made (rendered markup, translated texts), bounded.

Each store holds at most `max_entries` entries and is emptied whole when full: the
entries are cheap to make again, and a page's key set is small (a few names, values and
languages), so no eviction order is worth its bookkeeping.
"""


class Kept(dict):
    def __init__(self, max_entries: int):
        super().__init__()
        self.max_entries = max_entries

    def keep(self, key, value):
        """Store `value` under `key` (emptying the store first when it is full); return it."""
        if len(self) >= self.max_entries:
            self.clear()
        self[key] = value
        return value
