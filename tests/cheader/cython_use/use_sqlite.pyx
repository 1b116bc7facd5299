# cython: language_level=3
# Cython code that cimports the generated sqlite3 declarations.
from sqlite3_cy._decls cimport *


cdef int collect(void *user, int n, char **values, char **names) noexcept:
    row = [values[i].decode() for i in range(n)]
    (<list>user).append(row)
    return 0


def run(bytes sql, int key):
    cdef sqlite3 *db
    if sqlite3_open(b":memory:", &db) != SQLITE_OK:
        raise RuntimeError("open")
    rows = []
    if sqlite3_exec(db, sql, collect, <void *>rows, NULL) != SQLITE_OK:
        raise RuntimeError("exec")
    cdef sqlite3_stmt *stmt
    sqlite3_prepare_v2(db, b"select b from t where a = ?", -1, &stmt, NULL)
    sqlite3_bind_int(stmt, 1, key)
    found = None
    if sqlite3_step(stmt) == SQLITE_ROW:
        found = (<const char *>sqlite3_column_text(stmt, 0)).decode()
    sqlite3_finalize(stmt)
    sqlite3_close(db)
    return rows, found
