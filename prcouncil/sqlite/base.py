"""SQLite, set up for several writers at once, and for Persian text.

WAL is a property of the database file: it is switched on once, when a connection finds the
file in another mode, instead of on every connection (a journal-mode change needs a lock of
its own, which new connections would otherwise race for while others are writing).
Transactions start IMMEDIATE (settings: OPTIONS["transaction_mode"]), so writers queue on
the busy timeout rather than failing half-way with "database is locked".

Every connection also gets, from persian/ (docs/persian-text.md):
- the collation `fa-IR-x-icu` (the name PostgreSQL's ICU collation has), comparing with
  persian.collation.sort_key, so the name columns declared with it sort in Persian order here too;
- the function `persian_finds(text, key)`, persian.search.finds, through which admin searches and
  page filters match Persian text however it is written (persian.search.Finds).
A database file made by this backend needs them: open it through Django (`manage.py dbshell` cannot
sort or compare those columns).
"""

from django.db.backends.sqlite3 import base, schema

from persian import collation, search


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _collate_sql(self, collation):
        # Django writes the name bare; "fa-IR-x-icu" has dashes, so it must be quoted.
        return "COLLATE " + self.quote_name(collation)


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        register_persian(conn)
        if not self.is_in_memory_db():
            (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
            if mode.lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
        return conn


def register_persian(conn):
    """The Persian collation and search function on a sqlite3 connection (also for plain connections to
    the file, such as the backup's)."""
    conn.create_collation(collation.COLLATION, collation.compare)
    conn.create_function(search.SQLITE_FUNCTION, 2, search.finds, deterministic=True)
