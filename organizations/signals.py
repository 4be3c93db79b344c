"""What `organizations` announces before a change that apps above it may need to refuse.

`organizations` lies at the bottom of the layering and cannot ask `reviews` whether a node has
ratings; a receiver that raises ValidationError stops the change (the service is atomic).
"""

from django.dispatch import Signal

#: Sent with sender=Organization and keyword arguments organization and new_parent, before a
#: node is moved with its subtree.
organization_moving = Signal()
