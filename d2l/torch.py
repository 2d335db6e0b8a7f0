#################   WARNING   ################
# The below part is generated automatically through:
#    polybook lib
# Don't edit it directly

import sys

d2l = sys.modules[__name__]

import numpy
import torch
from torch import nn

def to_numpy(x):
    """Copy a tensor into a NumPy array, detached from any graph.

    Defined in :numref:`sec_tensors`"""
    return x.detach().cpu().numpy()

float32 = torch.float32
tensor = torch.tensor
arange = torch.arange
zeros = torch.zeros
reshape = torch.reshape
matmul = torch.matmul
stack = torch.stack
reduce_sum = torch.sum
reduce_mean = torch.mean

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

class Module(nn.Module, d2l.HyperParameters):
    """The base class of the models in this book.

    Defined in :numref:`sec_oo-design`"""
    def __init__(self):
        super().__init__()

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

    def training_step(self, batch):
        """The loss on one minibatch `(inputs..., labels)`.

        Defined in :numref:`sec_oo-design`"""
        return self.loss(self(*batch[:-1]), batch[-1])

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
        dataset = torch.utils.data.TensorDataset(*tensors)
        return torch.utils.data.DataLoader(dataset, self.batch_size,
                                           shuffle=train)

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
        model(*first[:-1])  # the dry run creates lazily shaped parameters
        self.optim = model.configure_optimizers()
        for self.epoch in range(self.max_epochs):
            train_loss = self.fit_epoch()
            val_loss = self.evaluate_loss()
            self.history['train_loss'].append(train_loss)
            self.history['val_loss'].append(val_loss)
            if self.verbose:
                print(f'epoch {self.epoch + 1}: train loss {train_loss:.4f}, '
                      f'val loss {val_loss:.4f}')
        return self

    def fit_epoch(self):
        """Defined in :numref:`sec_oo-design`"""
        self.model.train()
        total, count = 0.0, 0
        for batch in self.train_loader:
            loss = self.model.training_step(batch)
            self.optim.zero_grad()
            loss.backward()
            self.optim.step()
            total += loss.item() * len(batch[-1])
            count += len(batch[-1])
        return total / count

    def evaluate_loss(self):
        """The mean loss over the validation minibatches.

        Defined in :numref:`sec_oo-design`"""
        total, count = 0.0, 0
        for batch in self.val_loader:
            with torch.no_grad():
                loss = self.model.training_step(batch)
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
        with torch.no_grad():
            return self.model(X)

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
        self.X = torch.randn(n, len(w))
        eps = torch.randn(n, 1) * noise
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
        images = images[:, None, :, :]  # channels first
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
    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def forward(self, X):
        """Defined in :numref:`sec_linear-regression-scratch`"""
        return d2l.matmul(X, self.w) + self.b

    def loss(self, y_hat, y):
        """Defined in :numref:`sec_linear-regression-scratch`"""
        return d2l.reduce_mean((y_hat - y) ** 2) / 2

    def configure_optimizers(self):
        """Defined in :numref:`sec_linear-regression-scratch`"""
        return SGD([self.w, self.b], self.lr)

class SGD(d2l.HyperParameters):
    """Minibatch stochastic gradient descent.

    Defined in :numref:`sec_linear-regression-scratch`"""
    def __init__(self, params, lr):
        self.save_hyperparameters()

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()

    def step(self):
        with torch.no_grad():
            for p in self.params:
                p -= self.lr * p.grad

class LinearRegression(d2l.Module):
    """Linear regression built from the framework's own layers.

    Defined in :numref:`sec_linear-regression-concise`"""
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)

    def loss(self, y_hat, y):
        """Defined in :numref:`sec_linear-regression-concise`"""
        return nn.functional.mse_loss(y_hat, y)

    def configure_optimizers(self):
        """Defined in :numref:`sec_linear-regression-concise`"""
        return torch.optim.SGD(self.parameters(), self.lr)

def corr2d(X, K):
    """Two-dimensional cross-correlation of the array X with the kernel K.

    Defined in :numref:`sec_conv-layer`"""
    k_h, k_w = K.shape
    rows = []
    for i in range(X.shape[0] - k_h + 1):
        rows.append(d2l.stack([d2l.reduce_sum(X[i:i + k_h, j:j + k_w] * K)
                               for j in range(X.shape[1] - k_w + 1)]))
    return d2l.stack(rows)

from torch.nn import functional as F

class Classifier(d2l.Module):
    """The base class of classification models; `forward` returns logits.

    Defined in :numref:`sec_lenet`"""
    def loss(self, Y_hat, Y):
        return F.cross_entropy(Y_hat, Y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)

class LeNet(d2l.Classifier):
    """A LeNet-style network for 8x8 single-channel images.

    Defined in :numref:`sec_lenet`"""
    def __init__(self, lr=0.002, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=3, padding=1), nn.ReLU(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=3, padding=1), nn.ReLU(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(),
            nn.Linear(16 * 2 * 2, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, num_classes))
        for layer in self.net:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(layer.weight)

LENET_HPARAMS = dict(
    lr=0.002,  # Adam's step size
    batch_size=32,
    max_epochs=20)
