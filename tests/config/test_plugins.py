"""The configuration's pydantic models are built without pydantic's plugin
scan (an entry-point lookup over every installed distribution), and the
process environment is left as it was: later models, and the kernels a run
starts, still find their plugins."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = (
    "import os, polybook.config, pydantic.plugin._loader as loader\n"
    "print(repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS')), loader._plugins)\n"
    "from pydantic import BaseModel\n"
    "class Later(BaseModel):\n"
    "    x: int = 0\n"
    "print(loader._plugins)\n"
)


@pytest.mark.parametrize(("before", "shown"), [(None, "None"), ("logfire", "'logfire'")])
def test_no_plugin_scan_for_the_configuration_and_the_environment_kept(
    before: str | None, shown: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if before is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = before
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env
    )
    # no scan while the configuration's models were built; a later model scans
    assert done.stdout.splitlines() == [f"{shown} None", "{}"]
