"""The course machinery: what turns the library into lessons.

:mod:`neuronet` is the library of the concepts the course teaches; this subpackage is everything
else the lessons and the book need, organised by lesson where it belongs to one:

- :mod:`neuronet.course.explore` -- one module per lesson (``lesson01`` ... ``lesson11``) with the
  drawing functions and experiments behind its figures and widgets;
- :mod:`neuronet.course.checks` -- one module per lesson with the checks of its exercises;
- :mod:`neuronet.course.plots` -- the shared figure style and plotting helpers;
- :mod:`neuronet.course.player` -- live widgets in a kernel, kernel-free players in the book;
- :mod:`neuronet.course.playground` -- the TensorFlow-Playground-style explorer of lesson 07;
- :mod:`neuronet.course.workshop` -- learner copies and the offline bundle for workshops.

The rule of the house: the course imports the library, never the other way round.
"""
