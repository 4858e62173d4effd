"""Tools for instructors: learner copies of the lessons and an offline workshop bundle.

Run ``python -m neuronet.course.workshop --help``.
"""
