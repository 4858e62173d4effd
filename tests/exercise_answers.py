"""Stand-ins for a learner's answers and the hint assertion, shared by tests/test_checks_*.py."""


def unfinished(*args):
    """An exercise stub as the learner copies have it."""
    raise NotImplementedError("write your answer above, then run the check below")


def returns_none(*args):
    """An answer that forgot its return statement."""
    return None


def assert_hint(feedback, *fragments):
    """The check refused the answer with a "Not yet" hint that contains every fragment."""
    assert not feedback
    text = str(feedback)
    assert text.startswith("Not yet: ")
    for fragment in fragments:
        assert fragment in text, text
