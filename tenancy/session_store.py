"""Django's database sessions (SESSION_ENGINE), read without the ORM's per-query work.

Every signed-in request reads its session first; tenancy.rows builds the row as the ORM would
(issue 11: the floor of every page). Writing, expiry and clearsessions are Django's own.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from tenancy.rows import instances


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        found = instances(self.model, "found.session_key = %s AND found.expire_date > %s",
                          [self.session_key, timezone.now()])
        if found:
            return found[0]
        self._session_key = None
        return None
