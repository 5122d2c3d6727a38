"""Every write of the campaigns app. Views, commands and tasks call these, nothing else."""

from .campaigns import calendar_fill, campaign_create, plan_request
from .planning import campaign_plan, plan_accept, plan_run
from .visits import visit_add, visit_answer, visit_cancel, visit_move, visit_split

__all__ = [
    "calendar_fill",
    "campaign_create",
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
