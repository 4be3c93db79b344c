"""What `members` announces after a write that may change how a member is reviewed.

`members` lies below `reviews` (organizations ← members ← reviews ← reports) and cannot call it;
`reviews` listens and brings the open cycles' ratings along inside the same transaction
(issue "an open cycle follows the people"). Every write to a member goes through
`members.services`, which sends `member_changed` once per change.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal


class MemberChange(models.TextChoices):
    REGISTERED = "registered"
    TRANSFERRED = "transferred"
    FACTS = "facts"  # status periods, discipline, civil-service post, leadership post


#: Sent with sender=Member and keyword arguments member, change (MemberChange), acting_user,
#: and for a transfer from_organization and on (the date). A batch sends member=None and
#: members: a registration once for the whole batch (its members in any cells), other changes
#: (a cell's members moved, seats) once per cell, all its members in that cell.
member_changed = Signal()

#: Sent with sender=Member and keyword arguments member and acting_user *before* one of the
#: member's facts (a status period, a disciplinary decision, his own fields) is written or
#: deleted, inside the same transaction. A receiver may return a callable; `members.services`
#: calls it once the write is applied and announced. `reviews` uses it to compare what the
#: member's decisions rested on before and after (a fact a decision rests on never goes
#: silently, issue #18).
member_facts_changing = Signal()
