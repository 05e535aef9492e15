"""The store: SQLAlchemy tables, the database connection and its migrations (layer 2).

Nothing else in tanzuji talks SQL. Services use the tables through sessions
from :class:`Database`; migrations are Alembic's, in ``migrations/``.
"""

from tanzuji.store.database import Database
from tanzuji.store.migrate import current_revision, downgrade, drift, head_revision, upgrade

__all__ = ["Database", "current_revision", "downgrade", "drift", "head_revision", "upgrade"]
