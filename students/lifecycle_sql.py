"""lifecycle.apply_many's statement on PostgreSQL: one step for many students in one go.

Called only by lifecycle.apply_many, after it has checked the step itself (date, reason).
A step that moves the status is one UPDATE ... RETURNING whose rows feed, in the same
statement, the INSERT of the events and of the simple-history rows: each student row is
found and written once, the way a hand-written UPDATE would, and the events and history
are written from the updated rows rather than looked up again by id. The UPDATE's own
row locks make two runs at once safe: the second waits, then re-checks the conditions on
the row the first one wrote, and takes none. A step that leaves the status (a fact such
as "overdue") is one INSERT ... SELECT ... ON CONFLICT DO NOTHING: where the kind is
allowed once per student the unique constraint keeps a second run from recording it again,
and no row lock is needed (a student recorded while the job runs keeps a fact that held
when the job looked); any other such kind locks the students it reads (FOR UPDATE).
"""

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection

from .history import db_datetime
from .models import ONCE_KINDS, Student, StudentEvent

EVENT_COLUMNS = (
    "student_id, kind, date, reason, note, recorded_by_id, recorded_at, visit_id, taken_back_by_id"
)


def condition_sql(students):
    """(SQL, params) of a condition on a row of the students table (under its own name)
    that holds for the students of `students`, a queryset or an iterable of ids; None
    when it holds for none."""
    table = Student._meta.db_table
    if not hasattr(students, "query"):
        return f'"{table}"."id" = ANY(%s)', [list(students)]
    query = students.query
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(query.where)
    except FullResultSet:
        return "TRUE", []
    except EmptyResultSet:
        return None
    if any(count for alias, count in query.alias_refcount.items() if alias != table):
        # Conditions through other tables: the students' ids, from the query itself.
        sql, params = students.order_by().values("pk").query.sql_with_params()
        return f'"{table}"."id" IN ({sql})', list(params)
    return sql, list(params)


def _history_columns():
    history = Student.history.model
    return ", ".join(
        field.column
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    )


def move_status(where, kind, *, to, day, on, now, reason, note, user_id, visit_id):
    """Move the students matching `where` (SQL, params) to `to` with event `kind`.

    `day` is (SQL, params) of the status and event date: `on`, or an expression over the
    student row as it was before the update (lifecycle.first_day_in_sql, backdating).
    A kind allowed once per student skips those who have it already (not taken back).
    Returns {id: NIK}.
    """
    table, events = Student._meta.db_table, StudentEvent._meta.db_table
    where_sql, where_params = where
    now = db_datetime(now)
    once_sql, once_params = "", []
    if kind in ONCE_KINDS:
        once_sql = (
            f"AND NOT EXISTS (SELECT 1 FROM {events} e "  # noqa: S608 (names from the models)
            f'WHERE e.student_id = "{table}"."id" AND e.kind = %s AND e.taken_back_by_id IS NULL)'
        )
        once_params = [kind]
    day_sql, day_params = day
    history = Student.history.model._meta.db_table
    columns = _history_columns()
    sql = (
        f"WITH moved AS (UPDATE {table} SET status = %s, status_since = {day_sql}, updated_at = %s "  # noqa: S608 (names from the models; values bound)
        f"WHERE {where_sql} {once_sql} RETURNING *), "
        f"events AS (INSERT INTO {events} ({EVENT_COLUMNS}) "
        "SELECT id, %s, status_since, %s, %s, %s, %s, %s, NULL FROM moved), "
        f"versions AS (INSERT INTO {history} ({columns}, history_date, history_change_reason, "
        f"history_type, history_user_id) SELECT {columns}, %s, %s, '~', %s FROM moved) "
        "SELECT id, nik FROM moved"
    )
    params = [
        to,
        *day_params,
        now,
        *where_params,
        *once_params,
        kind,
        reason,
        note,
        user_id,
        now,
        visit_id,
        now,
        f"event {kind}",
        user_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def record_fact(where, kind, *, day, on, now, reason, note, user_id, visit_id):
    """Record the fact `kind` for the students matching `where`, once per student where the
    kind allows it once (the unique constraint over events not taken back decides), dated
    `day` (SQL, params over the student row; see move_status). Returns {id: NIK}."""
    table, events = Student._meta.db_table, StudentEvent._meta.db_table
    where_sql, where_params = where
    day_sql, day_params = day
    lock = "" if kind in ONCE_KINDS else "FOR UPDATE"
    sql = (
        f"WITH chosen AS (SELECT id, nik, {day_sql} AS day FROM {table} "  # noqa: S608 (names from the models; values bound)
        f"WHERE {where_sql} {lock}), "
        f"noted AS (INSERT INTO {events} ({EVENT_COLUMNS}) "
        "SELECT id, %s, day, %s, %s, %s, %s, %s, NULL FROM chosen "
        "ON CONFLICT DO NOTHING RETURNING student_id) "
        "SELECT chosen.id, chosen.nik FROM noted JOIN chosen ON chosen.id = noted.student_id"
    )
    params = [*day_params, *where_params, kind, reason, note, user_id, db_datetime(now), visit_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())
