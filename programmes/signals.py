"""What the programmes app announces so that apps above it take part in its lifecycle.

programmes sits below matching in the app graph (docs/architecture.md), so it never imports
matching: it sends these signals and `matching/receivers.py` answers them. Each is sent
inside the transaction of the change it announces, so a receiver's writes commit or roll
back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# While the checklist of a transition is computed. kwargs: programme, target (the status it
# would move to). Each receiver returns a list of `programmes.lifecycle.Check`.
transition_checks_requested = Signal()

# Inside `programme_transition` to CLOSED, before the status changes. kwargs: organisation,
# programme, closed_at. Receivers end what lives on in their own tables.
programme_closing = Signal()

# Inside `participant_withdraw`, before the status changes. kwargs: organisation,
# participant. A receiver raises ValidationError to refuse the withdrawal.
participant_withdrawing = Signal()
