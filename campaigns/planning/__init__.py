"""The campaign calendar and the visit planner: plain modules, no request in sight."""
