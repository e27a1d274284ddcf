"""Track decisions from synthetic observations: consensus, cooldown, unknowns, identity switches."""

from __future__ import annotations

from models.tracking import Observation, Tracker, TrackPolicy

BOX = (100.0, 100.0, 200.0, 200.0)


def _feed(tracker: Tracker, people: list[str | None], start: int = 0, fps: float = 30.0, score: float = 0.6):
    decisions = []
    for i, person in enumerate(people):
        frame = start + i
        ts = frame / fps
        decisions += tracker.expire(ts)
        [track] = tracker.assign(frame, ts, [BOX])
        if tracker.needs_embedding(track, ts):
            _, decision = tracker.observe(track, Observation(frame, ts, person, score if person else 0.1, 1.0))
            if decision is not None:
                decisions.append(decision)
    return decisions


def test_one_frame_never_decides_three_agreeing_frames_do() -> None:
    tracker = Tracker(TrackPolicy(threshold=0.363))
    assert _feed(tracker, ["a", "a"]) == []
    [decision] = _feed(tracker, ["a"], start=2)
    assert (decision.kind, decision.person_id, decision.agreeing_frames) == ("attendance", "a", 3)


def test_disagreeing_frames_delay_the_decision() -> None:
    tracker = Tracker(TrackPolicy(threshold=0.363))
    decisions = _feed(tracker, ["a", "b", "c", "a", "b", "c", "a"])
    assert decisions == []  # a has 3 agreeing frames but 3 of 7 votes (< 60%)
    [decision] = _feed(tracker, ["a", "a", "a"], start=7)
    assert (decision.person_id, decision.frame) == ("a", 9)  # 6 of 10 votes


def test_cooldown_stops_a_second_record_of_the_same_person() -> None:
    tracker = Tracker(TrackPolicy(threshold=0.363, cooldown_s=60))
    first = _feed(tracker, ["a"] * 5)
    second = _feed(tracker, ["a"] * 5, start=100)  # new track after the old one timed out
    later = _feed(tracker, ["a"] * 5, start=100 + 61 * 30)
    assert [d.kind for d in first] == ["attendance"]
    assert second == []
    assert [d.person_id for d in later if d.kind == "attendance"] == ["a"]


def test_unmatched_track_is_unknown_never_attendance() -> None:
    tracker = Tracker(TrackPolicy(threshold=0.363))
    decisions = _feed(tracker, [None] * 10) + tracker.close_all()
    assert [(d.kind, d.person_id) for d in decisions] == [("unknown", None)]


def test_a_different_person_in_the_same_place_starts_a_new_track() -> None:
    tracker = Tracker(TrackPolicy(threshold=0.363, reverify_s=0.0))
    decisions = _feed(tracker, ["a"] * 3 + ["b"] * 3)
    assert [d.person_id for d in decisions] == ["a", "b"]
    assert decisions[0].track_id != decisions[1].track_id
