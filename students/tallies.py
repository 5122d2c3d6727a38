"""Figures over any number of students, read from counts the database keeps itself.

The dashboard and the home pages count students by school, status and age; counting the
student rows each time costs a scan of every student. On PostgreSQL, triggers (migration
0012) keep two tallies exact in the same transaction as every change, whoever makes it
(lifecycle, forms, imports, the retention purge, a hand-written UPDATE):

- StudentTally: students by school, status and age band. The bands are cut at two birth
  dates (TallyCuts): the figures ask "born on or before X" only for X the cuts are at, so
  a count is a sum of a few tally rows. The cuts are the latest birth dates of the ages a
  page needs (16 by the campaign's last day, 17 today); when a page needs other ones, the
  students born between the old and the new cuts change band (`_move_cuts`): a day's shift
  is a day's births, not a scan.
- RecordingTally: students recorded by school and day, split by whether their card has
  been printed and handed over since; the year's figures and the recordings per week are
  sums over it, one row per school and recording day.

Elsewhere (SQLite, `make run`) nothing is kept and callers count the students themselves
(`available()` is False).
"""

import datetime

from django.db import connection, transaction

from .tally_models import RecordingTally, StudentTally, TallyCuts

FAR_PAST = datetime.date(1, 1, 1)  # the cuts before any page asked (or after a flush)


def available():
    return connection.vendor == "postgresql"


def _sql(queryset):
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _new_cuts(old, wanted):
    """The cuts to move to from `old` (first, second) so that `wanted` (one or two dates)
    are among them: with one, the old cut nearer to it moves (tomorrow's 17th birthdays
    replace today's, the campaign's cut stays)."""
    if len(wanted) == 2:
        return tuple(sorted(wanted))
    (day,) = wanted
    nearer = min(old, key=lambda cut: abs((cut - day).days))
    kept = old[1] if nearer == old[0] else old[0]
    return tuple(sorted((day, kept)))


@transaction.atomic
def _move_cuts(wanted):
    """Cut the bands at the dates `wanted` too, moving the students born between the old
    and the new cuts to their new band."""
    cuts, tally, students = (
        TallyCuts._meta.db_table,
        StudentTally._meta.db_table,
        "students_student",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {cuts} (id, first, second) VALUES (1, %s, %s) "  # noqa: S608
            "ON CONFLICT DO NOTHING",
            [FAR_PAST, FAR_PAST],
        )
        # Writers read the cuts FOR SHARE: none is halfway through a change meanwhile.
        cursor.execute(f"SELECT first, second FROM {cuts} WHERE id = 1 FOR UPDATE")  # noqa: S608
        old = cursor.fetchone()
        if wanted <= set(old):
            return
        first, second = _new_cuts(old, wanted)
        between = (
            "(birth_date > LEAST(%(o1)s, %(n1)s) AND birth_date <= GREATEST(%(o1)s, %(n1)s)) "
            "OR (birth_date > LEAST(%(o2)s, %(n2)s) AND birth_date <= GREATEST(%(o2)s, %(n2)s))"
        )
        cursor.execute(
            f"INSERT INTO {tally} AS t (school_id, status, band, n) "  # noqa: S608
            "SELECT school_id, status, band, sum(side) FROM ("
            "SELECT school_id, status, (birth_date > %(n1)s)::int + (birth_date > %(n2)s)::int "
            f"AS band, 1 AS side FROM {students} WHERE {between} UNION ALL "
            "SELECT school_id, status, (birth_date > %(o1)s)::int + (birth_date > %(o2)s)::int, "
            f"-1 FROM {students} WHERE {between}) moving "
            "GROUP BY 1, 2, 3 HAVING sum(side) <> 0 "
            "ON CONFLICT (school_id, status, band) DO UPDATE SET n = t.n + excluded.n",
            {"o1": old[0], "o2": old[1], "n1": first, "n2": second},
        )
        cursor.execute(
            f"UPDATE {cuts} SET first = %s, second = %s WHERE id = 1",  # noqa: S608
            [first, second],
        )
        cursor.execute(f"DELETE FROM {tally} WHERE n = 0")  # noqa: S608 (rows left empty)


def sums(schools, counts, *, by_school):
    """Sums of students of the schools `schools` (a School queryset, or None for all).

    `counts` is {name: (statuses, born_by)}: the students with one of `statuses` (None:
    any) born on or before `born_by` (None: whenever; at most two different dates). With
    `by_school`, {school id: {name: count}} for every school that has students; else
    {name: count}. One query, which also reads where the bands are cut; when they are not
    cut at the dates asked for, they are moved there first and the sums read again.
    """
    wanted = {born_by for _statuses, born_by in counts.values() if born_by}
    columns, params = [], []
    for statuses, born_by in counts.values():
        conditions = []
        if statuses is not None:
            conditions.append("t.status = ANY(%s)")
            params.append(list(statuses))
        if born_by is not None:
            # Band 0 is born on or before the first cut, band 1 before the second.
            conditions.append(
                "t.band <= CASE %s::date WHEN c.first THEN 0 WHEN c.second THEN 1 ELSE -1 END"
            )
            params.append(born_by)
        where = " AND ".join(conditions) or "TRUE"
        columns.append(f"COALESCE(sum(t.n) FILTER (WHERE {where}), 0)")
    scope, scope_params = ["TRUE"], []
    if all(statuses is not None for statuses, _born_by in counts.values()):
        scope.append("t.status = ANY(%s)")  # only the rows some count reads
        scope_params.append(sorted({s for statuses, _born_by in counts.values() for s in statuses}))
    if schools is not None:
        subquery, school_params = _sql(schools.order_by().values("pk"))
        scope.append(f"t.school_id IN ({subquery})")
        scope_params += school_params
    key = "t.school_id, " if by_school else ""
    sql = (
        f"SELECT {key}{', '.join(columns)}, c.first, c.second "  # noqa: S608
        f"FROM {StudentTally._meta.db_table} t "
        f"LEFT JOIN {TallyCuts._meta.db_table} c ON c.id = 1 WHERE {' AND '.join(scope)} "
        f"GROUP BY {key}c.first, c.second"
    )
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *scope_params])
            rows = cursor.fetchall()
        if not rows or wanted <= set(rows[0][-2:]):
            break
        _move_cuts(wanted)
    names = list(counts)
    if by_school:
        return {row[0]: dict(zip(names, row[1:-2], strict=True)) for row in rows}
    if not rows:
        return dict.fromkeys(names, 0)
    return dict(zip(names, rows[0][:-2], strict=True))


def recordings_by_week(schools, first_day, last_day):
    """[(Monday, students recorded that week)] at the schools `schools` (None: all) between
    `first_day` and `last_day`; a student recorded on two days of a week counts twice."""
    scope, params = "", [first_day, last_day]
    if schools is not None:
        subquery, scope_params = _sql(schools.order_by().values("pk"))
        scope = f"AND school_id IN ({subquery})"
        params += scope_params
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('week', date)::date, sum(n) "  # noqa: S608
            f"FROM {RecordingTally._meta.db_table} WHERE date BETWEEN %s AND %s {scope} "
            "GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1",
            params,
        )
        return cursor.fetchall()
