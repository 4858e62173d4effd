"""Checks for the exercises: call one on your answer and it tells you what is right or wrong.

Each lesson's checks live in ``neuronet.course.checks.lessonNN``; all of them are importable from
here::

    from neuronet.course.checks import check_sigmoid
    check_sigmoid(my_sigmoid)   # prints "Correct: ..." or "Not yet: <what is wrong>"

A check returns a :class:`~neuronet.course.checks._report.Feedback`, which is truthy only when the
answer is right.
"""

from __future__ import annotations

import importlib
import pkgutil

from neuronet.course.checks._report import Feedback

__all__ = ["Feedback"]

for _module in sorted(
    m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("lesson")
):
    _lesson = importlib.import_module(f"{__name__}.{_module}")
    for _name in _lesson.__all__:
        globals()[_name] = getattr(_lesson, _name)
        __all__.append(_name)
