"""neuronet: the NumPy neural-network package of *From Neuron to Network*."""

__version__ = "0.1.0"
