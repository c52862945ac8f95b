"""Thread detail, span tree, conversation, step detail and waterfall, on both dialects."""

from datetime import timedelta

import pytest

from literal_app.services.kernel.errors import NotFound
from literal_app.services.kernel.payloads import PREVIEW_LIMIT
from literal_app.services.logs import step_detail, threads, traces, waterfall
from tests.factories import make_actor
from tests.log_factories import T0, make_conversation, make_participant, make_score, make_step


def test_thread_header_tree_and_children(session):
    actor = make_actor(session)
    p = make_participant(session, actor.project_id, "ada@example.com")
    t = make_conversation(session, actor.project_id, turns=3, participant_id=p.id, tags=["vip"])
    head = threads.get_thread(session, actor, t.id, with_steps=False)
    assert (head.participant.identifier, head.step_count, head.tags) == ("ada@example.com", 12, ["vip"])
    page = traces.thread_tree(session, actor, t.id)
    assert [n.type for n in page.nodes[:3]] == ["user_message", "run", "assistant_message"]
    assert len(page.nodes) == 9 and page.next_offset is None
    run = page.nodes[1]
    assert run.child_count == 1 and run.preview == '{"answer": "a0"}' or "a0" in run.preview
    kids = traces.step_children(session, actor, run.id)
    assert [k.type for k in kids.nodes] == ["llm"] and kids.nodes[0].model == "gpt-4o"
    assert [n.id for n in traces.step_path(session, actor, kids.nodes[0].id)] == [run.id, kids.nodes[0].id]


def test_tree_pages_through_a_long_thread(session):
    actor = make_actor(session)
    t = make_conversation(session, actor.project_id, turns=30)
    first = traces.thread_tree(session, actor, t.id, limit=50)
    assert len(first.nodes) == 50 and first.next_offset == 50
    rest = traces.thread_tree(session, actor, t.id, offset=first.next_offset, limit=50)
    assert len(rest.nodes) == 40 and rest.next_offset is None
    assert len({n.id for n in first.nodes + rest.nodes}) == 90


def test_conversation_messages_and_run_fallback(session):
    actor = make_actor(session)
    t = make_conversation(session, actor.project_id, turns=2)
    msgs = traces.thread_messages(session, actor, t.id).messages
    assert [(m.role, m.text) for m in msgs] == [("user", "question 0"), ("assistant", "answer 0"),
                                                ("user", "question 1"), ("assistant", "answer 1")]
    t2 = make_conversation(session, actor.project_id, turns=0)
    make_step(session, actor.project_id, thread_id=t2.id, type="run", input={"content": "hello"},
              output={"content": "x" * 5000})
    msgs = traces.thread_messages(session, actor, t2.id).messages
    assert [m.role for m in msgs] == ["user", "assistant"] and msgs[0].text == "hello"
    assert msgs[1].truncated and len(msgs[1].text) <= traces.MESSAGE_CHARS + 1


def test_other_projects_threads_are_not_found(session):
    actor, other = make_actor(session), make_actor(session)
    t = make_conversation(session, actor.project_id)
    assert threads.get_thread(session, other, t.id) is None
    with pytest.raises(NotFound):
        traces.thread_tree(session, other, t.id)
    with pytest.raises(NotFound):
        step_detail.get_step_detail(session, other, f"{t.id}-r0")
    with pytest.raises(NotFound):
        step_detail.load_payload(session, other, f"{t.id}-r0", "input")


def test_step_detail_generation_scores_and_large_payloads(session):
    actor = make_actor(session)
    t = make_conversation(session, actor.project_id, turns=1)
    make_score(session, actor.project_id, f"{t.id}-g0", "relevance", 0.7, type="AI")
    d = step_detail.get_step_detail(session, actor, f"{t.id}-g0")
    assert d.generation.messages == [{"role": "user", "content": "hi",
                                      "parts": [{"kind": "text", "text": "hi", "url": "", "name": ""}]}]
    assert d.generation.completion == "answer 0" and d.generation.tokens == 100
    assert [(s.name, s.value) for s in d.scores] == [("relevance", 0.7)]
    assert '"messages"' in d.input.json and "messages:" in d.input.yaml
    big = make_step(session, actor.project_id, thread_id=t.id, output={"content": "y" * (PREVIEW_LIMIT * 3)})
    d = step_detail.get_step_detail(session, actor, big.id)
    assert d.output.truncated and len(d.output.text) < PREVIEW_LIMIT + 10
    whole = step_detail.load_payload(session, actor, big.id, "output")
    assert not whole.truncated and whole.text == "y" * (PREVIEW_LIMIT * 3)


def test_waterfall_compresses_idle_gaps(session):
    actor = make_actor(session)
    run = make_step(session, actor.project_id, type="run", start=T0, seconds=3600)
    make_step(session, actor.project_id, type="llm", parent_id=run.id, root_run_id=run.id, start=T0, seconds=1)
    late = make_step(session, actor.project_id, type="tool", parent_id=run.id, root_run_id=run.id,
                     start=T0 + timedelta(seconds=3598), seconds=2)
    w = waterfall.run_waterfall(session, actor, run.id)
    assert w.total_seconds == 3600 and [s.depth for s in w.spans] == [0, 1, 1]
    by_id = {s.id: s for s in w.spans}
    assert by_id[run.id].width == 100
    assert by_id[late.id].left < 100  # still on the axis
    with pytest.raises(NotFound):
        waterfall.run_waterfall(session, actor, "missing")


def test_compress_axis_shrinks_only_long_gaps():
    to_axis, length, gaps = waterfall.compress_axis([(0, 1), (1.5, 2), (100, 101)], min_gap=1.0)
    assert length == pytest.approx(4.0) and gaps == [pytest.approx(2.5)]
    assert to_axis(100) == pytest.approx(3.0) and to_axis(1.5) == 1.5


def test_generation_message_parts(session):
    """Multimodal contents become display parts: images (URL and data URI), audio, video, files;
    oversized inline data is not sent to the browser."""
    from literal_app.services.logs.message_parts import MAX_INLINE, parts_of

    parts = parts_of([
        {"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "https://x/a.png"}},
        {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "AAAA"}},
        {"type": "input_audio", "input_audio": {"data": "UklG", "format": "mp3"}},
        {"type": "video_url", "video_url": {"url": "https://x/v.mp4"}},
        {"type": "file", "file": {"filename": "r.pdf", "file_data": "https://x/r.pdf"}},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + "A" * MAX_INLINE}},
        {"type": "tool_result", "content": "?"}])
    assert [(p["kind"], p["url"][:22]) for p in parts] == [
        ("text", ""), ("image", "https://x/a.png"), ("image", "data:image/jpeg;base64"),
        ("audio", "data:audio/mp3;base64,"), ("video", "https://x/v.mp4"), ("file", "https://x/r.pdf"),
        ("text", ""), ("text", "")]
    assert parts[5]["name"] == "r.pdf" and "too large" in parts[6]["text"] and "tool_result" in parts[7]["text"]
    assert parts_of("plain") == [{"kind": "text", "text": "plain", "url": "", "name": ""}] and parts_of(None) == []
