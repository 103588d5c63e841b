"""Every write of teams (keyword-only, one transaction each, change log inside it), named
`<entity>_<verb>` so that `grep member_` finds every operation on group members.

    groups.py        inspection groups, their profile and members (recusal checked on every add)
    pools.py         leader and talent pools: admit, exit, suspend, resume, readmit
    evaluations.py   evaluations after a round, proposals, the office's decision
    declarations.py  回避申请 and the units' requests
    proposals.py     the group proposer applied to a round
    cross.py         cross-inspection plans: solve, liaisons, six-item checklist, confirm
    people.py        secondments and reminders, pledges, honours, training
    quotas.py        staffing quotas and the city's checks
"""

from .cross import (
    checklist_item_update,
    crosspair_name_liaison,
    crossplan_confirm,
    crossplan_create,
    crossplan_solve,
    crossplan_update,
)
from .declarations import declaration_create, declaration_delete, declaration_update
from .evaluations import evaluation_decide, evaluation_save, proposal_for
from .groups import (
    group_profile_save,
    inspection_group_create,
    member_add,
    member_remove,
    member_update,
)
from .people import (
    attendance_save,
    honour_create,
    honour_delete,
    honour_update,
    pledge_upload,
    reminder_handle,
    reminders_create_due,
    secondment_create,
    secondment_delete,
    secondment_end,
    secondment_update,
    training_create,
    training_delete,
    training_update,
)
from .pools import (
    pool_entry_admit,
    pool_entry_create,
    pool_entry_delete,
    pool_entry_exit,
    pool_entry_readmit,
    pool_entry_resume,
    pool_entry_suspend,
    pool_entry_update,
)
from .proposals import proposal_apply, proposal_build
from .quotas import (
    quota_create,
    quota_delete,
    quota_update,
    quotacheck_create,
    quotacheck_delete,
    quotacheck_fill,
    quotacheck_item_update,
    quotacheck_publish,
    quotacheck_update,
)

__all__ = [
    "attendance_save", "checklist_item_update", "crosspair_name_liaison", "crossplan_confirm", "crossplan_create",
    "crossplan_solve", "crossplan_update", "declaration_create", "declaration_delete", "declaration_update",
    "evaluation_decide", "evaluation_save", "group_profile_save", "honour_create", "honour_delete",
    "honour_update", "inspection_group_create", "member_add", "member_remove", "member_update", "pledge_upload",
    "pool_entry_admit", "pool_entry_create", "pool_entry_delete", "pool_entry_exit", "pool_entry_readmit", "pool_entry_resume",
    "pool_entry_suspend", "pool_entry_update", "proposal_apply", "proposal_build", "proposal_for", "quota_create",
    "quota_delete", "quota_update", "quotacheck_create", "quotacheck_delete", "quotacheck_fill",
    "quotacheck_item_update", "quotacheck_publish", "quotacheck_update", "reminder_handle",
    "reminders_create_due", "secondment_create", "secondment_delete", "secondment_end", "secondment_update",
    "training_create", "training_delete", "training_update",
]
