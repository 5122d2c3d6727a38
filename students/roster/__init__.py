"""Roster uploads: reading, checking and saving the lists schools send (issue 4)."""
