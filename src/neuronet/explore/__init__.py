"""Interactive explorations used by the lessons.

Each lesson's widget is a thin layer over a plain drawing function that lives here, one module per
lesson topic, so that unit tests can call it for every option of the widget. Two ways to show a
drawing function:

* :func:`widget` wires it to ipywidgets controls, for learners running a kernel;
* :func:`player` renders it for a sequence of values into a self-contained HTML animation, for
  readers of the online book, where no kernel answers the controls.
"""

from neuronet.explore.player import player, widget

__all__ = ["player", "widget"]
