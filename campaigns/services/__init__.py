"""Every write of the campaigns app. Views, commands and tasks call these, nothing else."""

from .campaigns import (
    PrivacyNotReady,
    calendar_fill,
    campaign_create,
    campaign_privacy_set,
    plan_request,
)
from .planning import campaign_plan, plan_accept, plan_run
from .visits import visit_add, visit_answer, visit_cancel, visit_move, visit_split

__all__ = [
    "PrivacyNotReady",
    "calendar_fill",
    "campaign_create",
    "campaign_privacy_set",
    "campaign_plan",
    "plan_accept",
    "plan_request",
    "plan_run",
    "visit_add",
    "visit_answer",
    "visit_cancel",
    "visit_move",
    "visit_split",
]
