"""Two people edit the same submission at once, each in a transaction of its own: the first
to commit wins, the other gets a conflict, and nothing the first saved is lost.

Unlike the other platform tests these commit for real, so they run in a database of their
own (a fresh SQLite file, or a fresh PostgreSQL schema), dropped afterwards.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tanzuji.errors import Conflict
from tanzuji.services.submissions import SubmissionService
from tanzuji.store import Database
from tanzuji.store.models import Revision, Submission
from tests.platform.factories import make_world
from tests.platform.test_submissions import tea_data


def test_the_first_commit_wins(own_database: Database) -> None:
    with own_database.transaction() as session:
        world = make_world(session)
        product = world.product("tea", "gz-green-tea", "tea-green")
        made = SubmissionService(session, world.context("tea_user")).create(product.id, tea_data())
        submission_id, version = made.id, made.version
        alice, bob = world.context("tea_user"), world.context("tea_admin")

    first = own_database.sessions()
    second = own_database.sessions()
    try:
        # both open the submission at the same version ...
        SubmissionService(first, alice).get(submission_id)
        SubmissionService(second, bob).get(submission_id)
        # ... the first saves a change and commits
        SubmissionService(first, alice).revise(submission_id, version, tea_data(natural_gas=20_000))
        first.commit()
        # the second's change, made from the same version, is refused
        with pytest.raises(Conflict) as caught:  # its UPDATE … WHERE version = 1 finds no row
            SubmissionService(second, bob).revise(
                submission_id, version, tea_data(natural_gas=19_000)
            )
        assert caught.value.field == "version"
        second.rollback()
    finally:
        first.close()
        second.close()

    with own_database.transaction() as session:
        stored = session.get(Submission, submission_id)
        assert stored is not None
        assert stored.revision == 2
        revisions = session.scalars(
            select(Revision)
            .where(Revision.submission_id == submission_id)
            .order_by(Revision.number)
        ).all()
        gas = revisions[-1].data["inputs"]["natural_gas"]["amount"]
        assert [r.number for r in revisions] == [1, 2]
        assert gas == 20_000  # the first editor's change, kept whole
