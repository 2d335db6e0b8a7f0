"""The tiny book and kernels of the execute tests, for the build-graph tests."""

from tests.execute.conftest import book, tiny_envs

__all__ = ["book", "tiny_envs"]
