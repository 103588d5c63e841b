"""Explicit, service-backed pages of teams (the Resources' generic pages are in resources.py).

    base.py         the permission mixin and small helpers
    groups.py       rounds, group composition, members, the proposer, evaluations
    people.py       the person file (一人一表一档), pool status changes, pledges, secondments, reminders
    recusal.py      the recusal check
    cross.py        cross inspection
    quotas.py       quota checks, the notice, the shortfall chart; training attendance and hours
"""
