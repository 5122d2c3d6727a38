"""The simple-history rows of many students at once: one INSERT ... SELECT.

Jobs over many students write their rows set-based and then record the history of every
student they wrote with `record_history`: the same row `student.save()` leaves through
simple_history (a copy of the tracked fields, the date, the user, the reason and the
type), read from the table as it is now, without a model instance per student.
"""

from django.db import connection

from .models import Student

CREATED = "+"
CHANGED = "~"
SQLITE_CHUNK = 500


def db_datetime(value):
    """A date and time as the ORM stores it, for raw SQL: SQLite keeps text, and a row
    written by hand must compare and sort with the ORM's rows (PostgreSQL takes it as is).
    A value given in that form already is returned as it is."""
    if isinstance(value, str):
        return value
    return connection.ops.adapt_datetimefield_value(value)


def ids_sql_of(values):
    """(SQL, params) for "the column is one of `values`" (ids, NIKs): one array parameter on
    PostgreSQL, one parameter a value elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)


def record_history(ids, *, kind, when, reason, user_id):
    """Write one history row (`kind` CREATED or CHANGED) for each student of `ids`."""
    if not ids:
        return
    history = Student.history.model
    columns = ", ".join(
        field.column
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    )
    ids = list(ids)
    # One statement on PostgreSQL; SQLite takes a bounded number of parameters at a time.
    size = len(ids) if connection.vendor == "postgresql" else SQLITE_CHUNK
    with connection.cursor() as cursor:
        for start in range(0, len(ids), size):
            id_test, ids_params = ids_sql_of(ids[start : start + size])
            cursor.execute(
                f"INSERT INTO {history._meta.db_table} "  # noqa: S608 (names from the models)
                f"({columns}, history_date, history_change_reason, history_type, "
                f"history_user_id) SELECT {columns}, %s, %s, %s, %s "
                f"FROM {Student._meta.db_table} WHERE id {id_test}",
                [db_datetime(when), reason, kind, user_id, *ids_params],
            )
