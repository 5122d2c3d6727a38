"""The tally triggers of 0014, planned for the change at hand.

PL/pgSQL keeps one plan per statement for the life of a connection, made the first time
the statement runs, with the sizes of that first change's transition tables: a connection
whose first change was one student kept a plan of nested loops, and a later change of a
million rows (a night's flagging, a generated data set) ran through it for many minutes.
Here every statement goes through EXECUTE, so it is planned each time with the number of
rows that changed. The recording delta also reads the events once, with a window for the
printed and handed-over flags, instead of joining two aggregates of the same events (the
planner cannot estimate either side, and a wrong guess rescans one of them per row).
A change of more than BULK rows is joined by hashing only: the tables' statistics may
predate the change (a bulk load into an emptied table looks empty to the planner), and
a nested loop chosen on them would visit every event once per student.
"""

import importlib

from django.db import migrations

tallies_0014 = importlib.import_module("students.migrations.0014_tallies")
KINDS = tallies_0014.KINDS


def student_delta(rows):
    """0014's upsert of the student tally, with the cuts as EXECUTE's $1 and $2."""
    return (
        tallies_0014.student_delta(rows).replace("first_cut", "$1").replace("second_cut", "$2")
    )


# `ev` (side, student_id, school_id, kind, date), as in 0014.
RECORDING_DELTA = """
INSERT INTO students_recordingtally AS t (school_id, date, printed, handed_over, n)
SELECT school_id, date, printed, handed_over, sum(side)
FROM (SELECT DISTINCT side, student_id, school_id, date, printed, handed_over
      FROM (SELECT side, student_id, school_id, kind, date,
                   bool_or(kind = 'printed') OVER student AS printed,
                   bool_or(kind = 'handed_over') OVER student AS handed_over
            FROM ev WINDOW student AS (PARTITION BY side, student_id)) flagged
      WHERE kind = 'recorded') recorded
GROUP BY 1, 2, 3, 4 HAVING sum(side) <> 0 ORDER BY 1, 2, 3, 4
ON CONFLICT (school_id, date, printed, handed_over) DO UPDATE SET n = t.n + excluded.n
"""


BULK = 2000


def bulk(transition):
    """PL/pgSQL turning nested loops off for the rest of the trigger (the setting returns
    with the statement's end, see RESTORE) when `transition` holds more than BULK rows."""
    return f"""was_nestloop := current_setting('enable_nestloop');
    IF EXISTS (SELECT 1 FROM {transition} OFFSET {BULK}) THEN
        PERFORM set_config('enable_nestloop', 'off', true);
    END IF;"""


RESTORE = """IF was_nestloop IS NOT NULL THEN
        PERFORM set_config('enable_nestloop', was_nestloop, true);
    END IF;"""


def execute(sql, using=""):
    """A PL/pgSQL EXECUTE of `sql`, quoted as a dollar string."""
    assert "$sql$" not in sql
    return f"EXECUTE $sql${sql}$sql${using}"


STUDENTS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION students_keep_tallies() RETURNS trigger AS $$
DECLARE
    first_cut date;
    second_cut date;
    was_nestloop text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM students_studenttally;
        DELETE FROM students_recordingtally;
        RETURN NULL;
    END IF;
    INSERT INTO students_tallycuts (id, first, second) VALUES (1, '0001-01-01', '0001-01-01')
        ON CONFLICT DO NOTHING;
    SELECT c.first, c.second INTO first_cut, second_cut
        FROM students_tallycuts c WHERE c.id = 1 FOR SHARE;
    IF TG_OP = 'INSERT' THEN
        {bulk("new_rows")}
        {execute(student_delta("SELECT school_id, status, birth_date, 1 AS side FROM new_rows"),
                 " USING first_cut, second_cut")};
    ELSIF TG_OP = 'DELETE' THEN
        {bulk("old_rows")}
        {execute(student_delta("SELECT school_id, status, birth_date, -1 AS side FROM old_rows"),
                 " USING first_cut, second_cut")};
        {execute(f'''WITH ev AS (
            SELECT -1 AS side, e.student_id, o.school_id, e.kind, e.date
            FROM students_studentevent e JOIN old_rows o ON o.id = e.student_id
            WHERE e.kind IN {KINDS} AND e.taken_back_by_id IS NULL)
        {RECORDING_DELTA}''')};
    ELSE
        {bulk("new_rows")}
        {execute(student_delta(
            "SELECT school_id, status, birth_date, 1 AS side FROM new_rows UNION ALL "
            "SELECT school_id, status, birth_date, -1 FROM old_rows"
        ), " USING first_cut, second_cut")};
        {execute(f'''WITH moved AS (
            SELECT n.id, n.school_id AS new_school, o.school_id AS old_school
            FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.school_id <> o.school_id
        ), ev AS (
            SELECT s.side, e.student_id,
                   CASE s.side WHEN 1 THEN m.new_school ELSE m.old_school END AS school_id,
                   e.kind, e.date
            FROM students_studentevent e JOIN moved m ON m.id = e.student_id
            CROSS JOIN (VALUES (1), (-1)) AS s(side)
            WHERE e.kind IN {KINDS} AND e.taken_back_by_id IS NULL)
        {RECORDING_DELTA}''')};
    END IF;
    {RESTORE}
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""

# The events of the students a change touched, as they are now, with their school: the
# students are few next to all events, so the events are found by student.
NOW_EV = f"""now_ev AS (
    SELECT e.student_id, s.school_id, e.kind, e.date
    FROM students_studentevent e JOIN students_student s ON s.id = e.student_id
    WHERE e.kind IN {KINDS} AND e.taken_back_by_id IS NULL
      AND e.student_id IN (SELECT student_id FROM touched))"""


def changed(transition):
    """CTEs of the tally events among `transition`'s rows and of their students."""
    return f"""changed AS (
        SELECT student_id, kind, date FROM {transition}
        WHERE kind IN {KINDS} AND taken_back_by_id IS NULL
    ), touched AS (SELECT DISTINCT student_id FROM changed)"""


def events_delta(ctes, before):
    """The recording delta of a change to events: `ctes` define `touched` (the students
    whose events changed); their events after the change are now_ev, and `before` (a
    query over now_ev and those CTEs) gives them as they were."""
    return f"""WITH {ctes}, {NOW_EV}, ev AS (
        SELECT 1 AS side, student_id, school_id, kind, date FROM now_ev
        UNION ALL
        SELECT -1, b.student_id, s.school_id, b.kind, b.date
        FROM ({before}) b
        JOIN students_student s ON s.id = b.student_id)
    {RECORDING_DELTA}"""


# Inserted events: before the change, the students' events were those now less the new.
INSERTED = events_delta(
    changed("new_rows"),
    "SELECT student_id, kind, date FROM now_ev EXCEPT ALL SELECT * FROM changed",
)
# A step taken back (taken_back_by set, lifecycle.undo) or given back (the undoing event
# deleted): the events before are those now, less the rows as they are, plus the rows as
# they were; only events not taken back count.
UPDATED = events_delta(
    f"""was AS (
        SELECT student_id, kind, date FROM old_rows
        WHERE kind IN {KINDS} AND taken_back_by_id IS NULL
    ), is_now AS (
        SELECT student_id, kind, date FROM new_rows
        WHERE kind IN {KINDS} AND taken_back_by_id IS NULL
    ), touched AS (SELECT student_id FROM old_rows UNION SELECT student_id FROM new_rows)""",
    "(SELECT student_id, kind, date FROM now_ev EXCEPT ALL SELECT * FROM is_now) "
    "UNION ALL SELECT * FROM was",
)
# Deleted events: the events before were those now plus the deleted.
DELETED = events_delta(
    changed("old_rows"),
    "SELECT student_id, kind, date FROM now_ev UNION ALL SELECT * FROM changed",
)

EVENTS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION students_keep_recording_tally() RETURNS trigger AS $$
DECLARE
    was_nestloop text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM students_recordingtally;
    ELSIF TG_OP = 'INSERT' THEN
        {bulk("new_rows")}
        IF EXISTS (SELECT 1 FROM new_rows WHERE kind IN {KINDS} AND taken_back_by_id IS NULL) THEN
            {execute(INSERTED)};
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        {bulk("new_rows")}
        IF EXISTS (SELECT 1 FROM old_rows WHERE kind IN {KINDS})
                OR EXISTS (SELECT 1 FROM new_rows WHERE kind IN {KINDS}) THEN
            {execute(UPDATED)};
        END IF;
    ELSIF EXISTS (SELECT 1 FROM old_rows WHERE kind IN {KINDS} AND taken_back_by_id IS NULL) THEN
        {bulk("old_rows")}
        {execute(DELETED)};
    END IF;
    {RESTORE}
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def replan(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STUDENTS_FUNCTION)
        schema_editor.execute(EVENTS_FUNCTION)


def back_to_0014(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(tallies_0014.STUDENTS_FUNCTION)
        schema_editor.execute(tallies_0014.EVENTS_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("students", "0014_tallies")]

    operations = [migrations.RunPython(replan, back_to_0014)]
