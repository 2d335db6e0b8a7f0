#################   WARNING   ################
# The below part is generated automatically through:
#    polybook lib
# Don't edit it directly

import sys

d2l = sys.modules[__name__]

import jax
import numpy
from jax import numpy as jnp

KEY_STATE = {'key': jax.random.PRNGKey(0)}

def get_key():
    """Split a fresh PRNG key off the book-wide key state.

    Defined in :numref:`sec_tensors`"""
    KEY_STATE['key'], subkey = jax.random.split(KEY_STATE['key'])
    return subkey

def to_numpy(x):
    """Copy a tensor into a NumPy array.

    Defined in :numref:`sec_tensors`"""
    return numpy.asarray(x)

float32 = jnp.float32
tensor = jnp.array
arange = jnp.arange
zeros = jnp.zeros
reshape = jnp.reshape
matmul = jnp.matmul
stack = jnp.stack
reduce_sum = jnp.sum
reduce_mean = jnp.mean

import optax
from flax import linen as nn
from flax.training import train_state

import inspect
import matplotlib.pyplot as plt

def add_to_class(cls):
    """Decorator that attaches the decorated function to `cls` as a method.

    Defined in :numref:`sec_oo-design`"""
    def attach(fn):
        setattr(cls, fn.__name__, fn)
        return fn
    return attach

class HyperParameters:
    """Mixin that stores the arguments of `__init__` as attributes.

    Defined in :numref:`sec_oo-design`"""
    def save_hyperparameters(self, ignore=()):
        frame = inspect.currentframe().f_back
        info = inspect.getargvalues(frame)
        self.hparams = {name: info.locals[name] for name in info.args
                        if name != 'self' and name not in ignore}
        for name, value in self.hparams.items():
            setattr(self, name, value)

def plot(x, ys, xlabel=None, ylabel=None, legend=(), figsize=(4.5, 3)):
    """Draw every curve in `ys` against `x` with matplotlib; return the axes.

    Defined in :numref:`sec_oo-design`"""
    _, ax = plt.subplots(figsize=figsize)
    for i, y in enumerate(ys):
        ax.plot(x, y, label=legend[i] if i < len(legend) else None)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend()
    ax.grid(True, alpha=0.3)
    return ax

class Module(nn.Module):
    """The base class of the models in this book (a Flax module).

    Defined in :numref:`sec_oo-design`"""
    def __call__(self, X):
        return self.forward(X)

    def forward(self, X):
        """Apply the network stored in `self.net`.

        Defined in :numref:`sec_oo-design`"""
        return self.net(X)

    def loss(self, y_hat, y):
        """Defined in :numref:`sec_oo-design`"""
        raise NotImplementedError

    def configure_optimizers(self):
        """Defined in :numref:`sec_oo-design`"""
        raise NotImplementedError

    def training_step(self, params, batch):
        """The loss on one minibatch, as a function of the parameters.

        Defined in :numref:`sec_oo-design`"""
        return self.loss(self.apply({'params': params}, *batch[:-1]), batch[-1])

class DataModule(d2l.HyperParameters):
    """The base class of datasets: it hands out minibatch iterators.

    Defined in :numref:`sec_oo-design`"""
    def get_dataloader(self, train):
        raise NotImplementedError

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        """Minibatches of `self.batch_size` rows of `tensors[indices]`.

        Defined in :numref:`sec_oo-design`"""
        tensors = tuple(t[indices] for t in tensors)
        return ArrayLoader(tensors, self.batch_size, shuffle=train,
                           drop_last=train)

class ArrayLoader:
    """Minibatches over in-memory arrays, shuffled with JAX's random keys.

    Defined in :numref:`sec_oo-design`"""
    def __init__(self, arrays, batch_size, shuffle, drop_last=False):
        self.arrays, self.batch_size = arrays, batch_size
        self.shuffle, self.drop_last = shuffle, drop_last

    def __len__(self):
        n = len(self.arrays[0])
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.arrays[0])
        if self.shuffle:
            order = numpy.asarray(jax.random.permutation(d2l.get_key(), n))
        else:
            order = numpy.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            rows = order[start:start + self.batch_size]
            yield tuple(a[rows] for a in self.arrays)

class Trainer(d2l.HyperParameters):
    """Fit a `Module` to a `DataModule` by minibatch optimisation.

    Defined in :numref:`sec_oo-design`"""
    def __init__(self, max_epochs, verbose=True):
        self.save_hyperparameters()

    def fit(self, model, data):
        self.model, self.data = model, data
        self.train_loader = data.train_dataloader()
        self.val_loader = data.val_dataloader()
        self.history = {'train_loss': [], 'val_loss': []}
        first = next(iter(self.train_loader))
        self.init_state(first)
        for self.epoch in range(self.max_epochs):
            train_loss = self.fit_epoch()
            val_loss = self.evaluate_loss()
            self.history['train_loss'].append(train_loss)
            self.history['val_loss'].append(val_loss)
            if self.verbose:
                print(f'epoch {self.epoch + 1}: train loss {train_loss:.4f}, '
                      f'val loss {val_loss:.4f}')
        return self

    def init_state(self, batch):
        """Create parameters and optimiser state; compile the step functions.

        Defined in :numref:`sec_oo-design`"""
        model = self.model
        params = jax.jit(model.init)(d2l.get_key(), *batch[:-1])['params']
        self.state = train_state.TrainState.create(
            apply_fn=model.apply, params=params, tx=model.configure_optimizers())

        def train_step(state, batch):
            loss, grads = jax.value_and_grad(model.training_step)(state.params,
                                                                  batch)
            return state.apply_gradients(grads=grads), loss

        self.train_step = jax.jit(train_step)
        self.eval_step = jax.jit(model.training_step)

    def fit_epoch(self):
        """Defined in :numref:`sec_oo-design`"""
        total, count = 0.0, 0
        for batch in self.train_loader:
            self.state, loss = self.train_step(self.state, batch)
            total += float(loss) * len(batch[-1])
            count += len(batch[-1])
        return total / count

    def evaluate_loss(self):
        """The mean loss over the validation minibatches.

        Defined in :numref:`sec_oo-design`"""
        total, count = 0.0, 0
        for batch in self.val_loader:
            loss = self.eval_step(self.state.params, batch)
            total += float(loss) * len(batch[-1])
            count += len(batch[-1])
        return total / count

    def plot_history(self):
        """Plot the training and validation loss after every epoch.

        Defined in :numref:`sec_oo-design`"""
        epochs = list(range(1, len(self.history['train_loss']) + 1))
        return d2l.plot(epochs, [self.history['train_loss'],
                                 self.history['val_loss']],
                        'epoch', 'loss', legend=['train', 'validation'])

    def predict(self, X):
        """Logits of the trained model for the inputs X.

        Defined in :numref:`sec_lenet`"""
        return self.state.apply_fn({'params': self.state.params}, X)

    def evaluate_accuracy(self):
        """The fraction of validation examples classified correctly.

        Defined in :numref:`sec_lenet`"""
        correct, total = 0, 0
        for X, y in self.val_loader:
            predicted = d2l.to_numpy(self.predict(X)).argmax(axis=1)
            correct += int((predicted == d2l.to_numpy(y)).sum())
            total += len(predicted)
        return correct / total

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits

class SyntheticRegressionData(d2l.DataModule):
    """Examples of the linear model y = Xw + b plus Gaussian noise.

    Defined in :numref:`sec_synthetic-data`"""
    def __init__(self, w, b, noise=0.01, num_train=1000, num_val=1000,
                 batch_size=32):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = jax.random.normal(d2l.get_key(), (n, len(w)))
        eps = jax.random.normal(d2l.get_key(), (n, 1)) * noise
        self.y = d2l.matmul(self.X, d2l.reshape(w, (-1, 1))) + b + eps

    def get_dataloader(self, train):
        """Defined in :numref:`sec_synthetic-data`"""
        rows = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, rows)

class DigitsData(d2l.DataModule):
    """The 8x8 handwritten digits bundled with scikit-learn.

    Defined in :numref:`sec_digits-data`"""
    def __init__(self, batch_size=64, num_val=360, seed=0):
        super().__init__()
        self.save_hyperparameters()
        digits = load_digits()
        order = numpy.random.default_rng(seed).permutation(len(digits.target))
        images = (digits.images[order] / 16.0).astype(numpy.float32)
        images = images[:, :, :, None]  # channels last
        self.X = d2l.tensor(images)
        self.y = d2l.tensor(digits.target[order])
        self.num_train = len(order) - num_val

    def get_dataloader(self, train):
        rows = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, rows)

def show_images(images, num_rows, num_cols, titles=None, scale=1.2):
    """Show greyscale images, given as 2D NumPy arrays, on a grid.

    Defined in :numref:`sec_digits-data`"""
    _, axes = plt.subplots(num_rows, num_cols,
                           figsize=(num_cols * scale, num_rows * scale))
    for i, ax in enumerate(numpy.ravel(axes)):
        ax.imshow(images[i], cmap='gray_r')
        ax.axis('off')
        if titles:
            ax.set_title(titles[i])
    return axes

class LinearRegressionScratch(d2l.Module):
    """Linear regression with hand-made parameters.

    Defined in :numref:`sec_linear-regression-scratch`"""
    num_inputs: int
    lr: float
    sigma: float = 0.01

    def setup(self):
        self.w = self.param('w', nn.initializers.normal(self.sigma),
                            (self.num_inputs, 1))
        self.b = self.param('b', nn.initializers.zeros, (1,))

    def forward(self, X):
        """Defined in :numref:`sec_linear-regression-scratch`"""
        return d2l.matmul(X, self.w) + self.b

    def loss(self, y_hat, y):
        """Defined in :numref:`sec_linear-regression-scratch`"""
        return d2l.reduce_mean((y_hat - y) ** 2) / 2

    def configure_optimizers(self):
        """Defined in :numref:`sec_linear-regression-scratch`"""
        return SGD(self.lr)

def SGD(lr):
    """Minibatch stochastic gradient descent as an optax transformation.

    Defined in :numref:`sec_linear-regression-scratch`"""
    def init(params):
        return optax.EmptyState()

    def update(grads, state, params=None):
        return jax.tree_util.tree_map(lambda g: -lr * g, grads), state

    return optax.GradientTransformation(init, update)

class LinearRegression(d2l.Module):
    """Linear regression built from the framework's own layers.

    Defined in :numref:`sec_linear-regression-concise`"""
    lr: float

    def setup(self):
        self.net = nn.Dense(1, kernel_init=nn.initializers.normal(0.01))

    def loss(self, y_hat, y):
        """Defined in :numref:`sec_linear-regression-concise`"""
        return optax.l2_loss(y_hat, y).mean()

    def configure_optimizers(self):
        """Defined in :numref:`sec_linear-regression-concise`"""
        return optax.sgd(self.lr)

def corr2d(X, K):
    """Two-dimensional cross-correlation of the array X with the kernel K.

    Defined in :numref:`sec_conv-layer`"""
    k_h, k_w = K.shape
    rows = []
    for i in range(X.shape[0] - k_h + 1):
        rows.append(d2l.stack([d2l.reduce_sum(X[i:i + k_h, j:j + k_w] * K)
                               for j in range(X.shape[1] - k_w + 1)]))
    return d2l.stack(rows)

class Classifier(d2l.Module):
    """The base class of classification models; `forward` returns logits.

    Defined in :numref:`sec_lenet`"""
    def loss(self, Y_hat, Y):
        return optax.softmax_cross_entropy_with_integer_labels(
            Y_hat, Y).mean()

    def configure_optimizers(self):
        return optax.adam(self.lr)

class LeNet(d2l.Classifier):
    """A LeNet-style network for 8x8 single-channel images.

    Defined in :numref:`sec_lenet`"""
    lr: float = 0.002
    num_classes: int = 10

    def setup(self):
        xavier = nn.initializers.xavier_uniform()
        self.net = nn.Sequential([
            nn.Conv(6, kernel_size=(3, 3), padding=1, kernel_init=xavier),
            nn.relu,
            lambda x: nn.avg_pool(x, (2, 2), strides=(2, 2)),
            nn.Conv(16, kernel_size=(3, 3), padding=1, kernel_init=xavier),
            nn.relu,
            lambda x: nn.avg_pool(x, (2, 2), strides=(2, 2)),
            lambda x: x.reshape(len(x), -1),  # one vector per image
            nn.Dense(120, kernel_init=xavier), nn.relu,
            nn.Dense(84, kernel_init=xavier), nn.relu,
            nn.Dense(self.num_classes, kernel_init=xavier)])

LENET_HPARAMS = dict(
    lr=0.002,  # Adam's step size
    batch_size=32,
    max_epochs=20)
