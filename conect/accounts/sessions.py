"""Django's database sessions, read with SQL written once.

The session is read on every request of a signed-in person; building that query through the
ORM cost more than the database's answer. Same table, same encoding, same expiry: only the
read is baked (conect.core.baked). SESSION_ENGINE = "conect.accounts.sessions".
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from conect.core.baked import BakedQuery

SESSION_BY_KEY = BakedQuery(lambda key: Session.objects.filter(session_key=key))


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The stored session if it has not expired, as Django's store reads it (its
        expiry compared here rather than in the SQL: a baked query's arguments are keys)."""
        key = self.session_key
        if isinstance(key, str):
            now = timezone.now()
            for session in SESSION_BY_KEY(key):
                if session.expire_date > now:
                    return session
        self._session_key = None
        return None
