"""What happens in the plan, for the feature apps that act on it (plans never imports them).

Each signal is sent after the transaction that made the change has committed (so a receiver reads
what was saved, and nothing is announced for a change that was rolled back), with sender=ProgressUpdate:

- progress_reported(update): a progress report was posted and waits for review;
- progress_reviewed(update): a report was accepted or returned (update.review_state says which).
"""

from django.dispatch import Signal

progress_reported = Signal()
progress_reviewed = Signal()
