"""Runnable examples: ``python -m neuronet.examples.fashion_mnist``."""
