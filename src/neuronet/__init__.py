"""neuronet: the NumPy neural-network library of *From Neuron to Network*.

One module per concept, in the order the course teaches them:

- :mod:`neuronet.neuron` -- a single artificial neuron (:class:`Neuron`) and the perceptron rule;
- :mod:`neuronet.implicit` -- implicit SGD, which trains a single neuron example by example;
- :mod:`neuronet.activations` -- step, sigmoid, tanh, ReLU, leaky ReLU, identity, softmax;
- :mod:`neuronet.costs` -- quadratic, cross-entropy and the wider family of cost functions;
- :mod:`neuronet.optimizers` -- gradient descent and its improvements (momentum ... Adam);
- :mod:`neuronet.training` -- the mini-batch training loop every model shares;
- :mod:`neuronet.layers`, :mod:`neuronet.init`, :mod:`neuronet.network` -- the multilayer
  perceptron (:class:`MLP`) with backpropagation, saved by :mod:`neuronet.saving`;
- :mod:`neuronet.gradcheck` -- numerical gradients to check backpropagation;
- :mod:`neuronet.data` -- toy data sets, preprocessing, Fashion-MNIST and MNIST loaders;
- :mod:`neuronet.landscapes` -- test surfaces for the optimizers;
- :mod:`neuronet.hopfield` -- a Hopfield network, the feedback counterpart.

The course machinery (explorations, figures, exercise checks, workshop tools) lives apart, in
:mod:`neuronet.course`; the library never imports it.
"""

from neuronet import activations, costs, data, gradcheck, init, layers, optimizers, training
from neuronet.implicit import ImplicitSGD
from neuronet.network import MLP
from neuronet.neuron import Neuron
from neuronet.training import History
from neuronet.validation import TrainingDivergedError

__version__ = "0.1.0"

__all__ = [
    "MLP",
    "History",
    "ImplicitSGD",
    "Neuron",
    "TrainingDivergedError",
    "activations",
    "costs",
    "data",
    "gradcheck",
    "init",
    "layers",
    "optimizers",
    "training",
]
