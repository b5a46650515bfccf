"""Reminder emails: planned from the cohort's dates when the dispatcher runs, sent at most once.

An app of its own because its kinds span cohorts (pre-work, gatherings, post-work),
assessments (rounds) and tenancy (invitations not yet accepted), and it keeps its own records:
one ReminderDelivery per (person, kind, target), each person's per-kind switches, and the
coordinators' nudges. No other app needs to know that reminders exist.
"""
