"""The Scores table filtered by score tags and by what the score is on (generation, run, thread
message, other step), on SQLite and PostgreSQL (issue 18)."""

import pytest

from literal_app.services.kernel.errors import Invalid
from literal_app.services.logs import log_lists
from literal_app.services.logs.log_filters import LogFilters
from tests.factories import make_actor
from tests.log_factories import make_score, make_step, make_thread


@pytest.fixture
def scored(session):
    a = make_actor(session)
    pid = a.project_id
    t = make_thread(session, pid, id="t-1")
    targets = {"run": make_step(session, pid, id="s-run", type="run", thread_id=t.id),
               "generation": make_step(session, pid, id="s-gen", type="llm", thread_id=t.id),
               "thread": make_step(session, pid, id="s-msg", type="assistant_message", thread_id=t.id),
               "step": make_step(session, pid, id="s-tool", type="tool", thread_id=t.id)}
    ids = {}
    for kind, step in targets.items():
        ids[kind] = make_score(session, pid, step.id, name=f"on-{kind}").id
    vip = make_score(session, pid, "s-run", name="tagged")
    vip.tags = ["vip", "reviewed"]
    session.add(vip)
    session.flush()
    return a, ids, vip.id


def _names(session, actor, **filters) -> set[str]:
    page = log_lists.list_rows(session, actor, "scores", LogFilters(**filters))
    return {r.name for r in page.rows}


def test_scores_filtered_by_target_type(session, scored):
    actor, _, _ = scored
    assert _names(session, actor, target_type="generation") == {"on-generation"}
    assert _names(session, actor, target_type="run") == {"on-run", "tagged"}
    assert _names(session, actor, target_type="thread") == {"on-thread"}
    assert _names(session, actor, target_type="step") == {"on-step"}
    assert log_lists.count_rows(session, actor, "scores", LogFilters(target_type="run"))[0] == 2
    with pytest.raises(Invalid, match="Unknown score target"):
        _names(session, actor, target_type="planet")


def test_scores_filtered_by_tag(session, scored):
    actor, _, vip = scored
    assert _names(session, actor, tags="vip") == {"tagged"}
    assert _names(session, actor, tags="vip, reviewed", target_type="run") == {"tagged"}
    assert _names(session, actor, tags="nobody") == set()
    assert LogFilters.from_params({"target": "run", "tags": "vip"}).to_params() == {"target": "run", "tags": "vip"}
