"""Who may see which roster uploads and school moves: the access rules of the roster pages.

A coordinator sees the uploads of their own school only; staff see every school's. Any
other upload answers 404, so a guessed id reveals nothing. Views apply these through
`ktpku.access.requires`.
"""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from schools.access import can_see_all_schools, schools_for_user
from students.models import RosterImport, SchoolMoveRequest


def can_upload_roster(user):
    return user.is_authenticated and user.has_perm("students.upload_roster")


def can_decide_school_moves(user):
    return user.is_authenticated and user.has_perm("students.decide_school_move")


def upload_schools_for_user(user):
    """The schools `user` may upload a roster for."""
    if not can_upload_roster(user):
        return schools_for_user(user).none()
    return schools_for_user(user).order_by("name")


def roster_imports_for_user(user):
    if not can_upload_roster(user):
        return RosterImport.objects.none()
    if can_see_all_schools(user):
        return RosterImport.objects.all()
    return RosterImport.objects.filter(school__in=schools_for_user(user).values("pk"))


def roster_imports_for_list(user):
    return (
        roster_imports_for_user(user)
        .defer(*RosterImport.PAYLOAD_FIELDS)
        .select_related("school", "uploaded_by")
    )


def get_roster_import_for_user(user, pk, *, light=False):
    """The upload, if the user may see it (404 otherwise). `light` leaves the kept rows and
    problems in the database: the progress poll, every second, needs only the counts."""
    queryset = (
        roster_imports_for_user(user)
        .select_related("school", "same_as")
        .defer(*[f"same_as__{name}" for name in RosterImport.PAYLOAD_FIELDS])
    )
    if light:
        queryset = queryset.defer(*RosterImport.PAYLOAD_FIELDS)
    return get_object_or_404(queryset, pk=pk)


def get_roster_import_counts_for_user(user, pk):
    """The upload without its kept rows and problems (404 if the user may not see it)."""
    return get_roster_import_for_user(user, pk, light=True)


def school_moves_for_user(user):
    if not can_decide_school_moves(user):
        return SchoolMoveRequest.objects.none()
    return SchoolMoveRequest.objects.all()


def school_moves_for_list(user):
    """The moves `user` may decide, newest first, with what the list shows of each."""
    return (
        school_moves_for_user(user)
        .select_related(
            "student", "from_school", "to_school", "decided_by", "roster_import__uploaded_by"
        )
        .defer(*[f"roster_import__{name}" for name in RosterImport.PAYLOAD_FIELDS])
        .order_by("-created_at", "-pk")
    )


def uploads_asking_many_moves(user):
    """The uploads with at least ROSTER_MOVES_WARNING moves still waiting: one school
    claiming many students of others deserves a look before anyone confirms."""
    pending = Q(move_requests__status=SchoolMoveRequest.Status.PENDING)
    return (
        RosterImport.objects.filter(
            pk__in=school_moves_for_user(user).values("roster_import"),
        )
        .annotate(waiting=Count("move_requests", filter=pending))
        .filter(waiting__gte=settings.ROSTER_MOVES_WARNING)
        .select_related("school", "uploaded_by")
        .only("pk", "original_name", "created_at", "school__name", "uploaded_by__username")
        .order_by("-waiting", "-pk")
    )


def get_school_move_for_user(user, pk):
    return get_object_or_404(school_moves_for_user(user), pk=pk)
