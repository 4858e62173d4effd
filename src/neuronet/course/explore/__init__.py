"""The explorations of each lesson: ``lesson01`` ... ``lesson11``.

Each lesson's figures and widgets are thin layers over plain drawing functions that live in its
module here, so that unit tests can call them for every option of a widget. Two ways to show a
drawing function are in :mod:`neuronet.course.player`: :func:`~neuronet.course.player.widget`
wires it to ipywidgets controls, for learners running a kernel, and
:func:`~neuronet.course.player.player` renders it into a self-contained HTML player, for readers
of the online book.
"""
