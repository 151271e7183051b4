"""SQLite, set up for several writers at once.

WAL is a property of the database file: it is switched on once, when a connection finds the
file in another mode, instead of on every connection (a journal-mode change needs a lock of
its own, which new connections would otherwise race for while others are writing).
Transactions start IMMEDIATE (settings: OPTIONS["transaction_mode"]), so writers queue on
the busy timeout rather than failing half-way with "database is locked".
"""

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
            if mode.lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
        return conn
