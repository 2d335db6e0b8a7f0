"""A minimal framework environment, for tests and benchmarks: a real venv
(without pip) that sees the current interpreter's packages through a `.pth`
file (so it has ipykernel), with a `polybook-<framework>` kernel spec in its
own `share/jupyter/kernels/`, laid out like those `make env` builds."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from polybook.execute.envs import kernel_name


def make_tiny_env(root: Path, framework: str) -> Path:
    """Create `root` (an environment for `framework`) unless it exists; return it."""
    spec_dir = root / "share" / "jupyter" / "kernels" / kernel_name(framework)
    if (spec_dir / "kernel.json").is_file():
        return root
    venv.EnvBuilder(with_pip=False, symlinks=True, clear=True).create(root)
    python = root / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    host_site = [sysconfig.get_path("purelib"), sysconfig.get_path("platlib")]
    (Path(site) / "polybook-host.pth").write_text("\n".join(dict.fromkeys(host_site)) + "\n")
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"polybook ({framework}, tiny)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
    return root


if __name__ == "__main__":  # python -m tests.execute.tinyenv DIR FRAMEWORK
    print(make_tiny_env(Path(sys.argv[1]), sys.argv[2]))
