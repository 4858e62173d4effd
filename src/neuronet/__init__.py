"""neuronet: the NumPy neural-network package of *From Neuron to Network*.

One module per concept, in the order the course teaches them:

- :mod:`neuronet.neuron` -- a single artificial neuron (:class:`Neuron`);
- :mod:`neuronet.activations` -- step, sigmoid, tanh, ReLU, leaky ReLU, identity, softmax;
- :mod:`neuronet.costs` -- quadratic, cross-entropy and the wider family of cost functions;
- :mod:`neuronet.optimizers` -- gradient descent and its improvements (momentum ... Adam);
- :mod:`neuronet.layers`, :mod:`neuronet.init`, :mod:`neuronet.network` -- the multilayer
  perceptron (:class:`MLP`) with backpropagation;
- :mod:`neuronet.gradcheck` -- numerical gradients to check backpropagation;
- :mod:`neuronet.data` -- toy data sets, preprocessing, Fashion-MNIST and MNIST loaders;
- :mod:`neuronet.landscapes` -- test surfaces for the optimizers;
- :mod:`neuronet.hopfield` -- a Hopfield network, the feedback counterpart;

The course machinery (explorations, figures, exercise checks, workshop tools) lives apart, in
:mod:`neuronet.course`; the library never imports it.
"""

from neuronet import activations, costs, data, gradcheck, init, layers, optimizers
from neuronet.network import MLP, History
from neuronet.neuron import Neuron
from neuronet.validation import TrainingDivergedError

__version__ = "0.1.0"

__all__ = [
    "MLP",
    "History",
    "Neuron",
    "TrainingDivergedError",
    "activations",
    "costs",
    "data",
    "gradcheck",
    "init",
    "layers",
    "optimizers",
]
