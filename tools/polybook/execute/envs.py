"""Framework environments: `<env_dir>/<framework>/`, a venv whose Jupyter kernel
spec `polybook-<framework>` lives in its own `share/jupyter/kernels/` (see
tools/make/env.mk), and the variables every kernel runs with."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Set for every kernel; part of the cache key (they can change outputs).
KERNEL_VARS: tuple[tuple[str, str], ...] = (
    ("TF_CPP_MIN_LOG_LEVEL", "2"),
    ("PYTHONHASHSEED", "0"),
)
# Where a Dask worker (or anyone) keeps its environments, overriding the
# path planned on the submitting machine.
ENV_DIR_VAR = "POLYBOOK_ENV_DIR"


def kernel_name(framework: str) -> str:
    return f"polybook-{framework}"


@dataclass(frozen=True, slots=True)
class FrameworkEnv:
    framework: str
    root: Path

    @property
    def kernels_dir(self) -> Path:
        return self.root / "share" / "jupyter" / "kernels"

    @property
    def kernel_name(self) -> str:
        return kernel_name(self.framework)

    @property
    def kernel_file(self) -> Path:
        return self.kernels_dir / self.kernel_name / "kernel.json"

    def exists(self) -> bool:
        return self.kernel_file.is_file()

    def problem(self) -> str | None:
        """Why the environment's kernel cannot be started (None: it can be)."""
        remake = f"run `make env FRAMEWORK={self.framework}`"
        try:
            spec = json.loads(self.kernel_file.read_text("utf-8"))
        except FileNotFoundError:
            return f"no kernel spec {self.kernel_name} under {self.kernels_dir} ({remake})"
        except OSError as exc:
            return f"cannot read kernel spec {self.kernel_file}: {exc.strerror} ({remake})"
        except ValueError as exc:
            where = (
                f" (line {exc.lineno}, column {exc.colno}: {exc.msg})"
                if isinstance(exc, json.JSONDecodeError)
                else ""
            )
            return f"kernel spec {self.kernel_file} is not valid JSON{where}; {remake} again"
        argv = spec.get("argv") if isinstance(spec, dict) else None
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            return f"kernel spec {self.kernel_file} has no command (argv); {remake} again"
        return None

    def fingerprint(self) -> str:
        return env_fingerprint(self.root, self.framework)


def resolve_env(
    framework: str, env_dir: Path, environ: Mapping[str, str] = os.environ
) -> FrameworkEnv:
    override = environ.get(ENV_DIR_VAR)
    base = Path(override) if override else env_dir
    return FrameworkEnv(framework, base / framework)


def _site_packages(root: Path) -> list[Path]:
    seen: set[Path] = set()
    found: list[Path] = []
    for lib in ("lib", "lib64"):
        for path in sorted((root / lib).glob("python*/site-packages")):
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                found.append(path)
    return found


def _python_version(root: Path) -> str:
    try:
        for line in (root / "pyvenv.cfg").read_text("utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() in ("version", "version_info"):
                return value.strip()
    except OSError:
        pass
    return ""


def env_fingerprint(root: Path, framework: str) -> str:
    """A hash of what an environment can change in outputs: its Python version,
    the names and versions of its installed distributions (`*.dist-info`
    directory names), and the kernel spec less its (machine-specific) python
    path. No paths and no mtimes: portable between machines and CI runs."""
    digest = hashlib.sha256()
    digest.update(f"python={_python_version(root)}\n".encode())
    for site in _site_packages(root):
        try:
            names = sorted(
                name.lower()
                for name in os.listdir(site)
                if name.endswith((".dist-info", ".egg-info"))
            )
        except OSError:
            names = []
        for name in names:
            digest.update(name.encode() + b"\n")
    spec_file = root / "share" / "jupyter" / "kernels" / kernel_name(framework) / "kernel.json"
    try:
        spec = json.loads(spec_file.read_text("utf-8"))
    except (OSError, ValueError):
        spec = {}
    if isinstance(spec, dict):
        argv = spec.get("argv")
        portable = {
            "argv": argv[1:] if isinstance(argv, list) else None,
            "env": spec.get("env"),
            "language": spec.get("language"),
        }
        digest.update(json.dumps(portable, sort_keys=True).encode())
    return digest.hexdigest()


def kernel_environ(
    devices: list[str],
    pythonpath: tuple[str, ...] = (),
    extra: tuple[tuple[str, str], ...] = (),
    base: Mapping[str, str] = os.environ,
) -> dict[str, str]:
    """The process environment of one kernel: this machine's environment, the
    polybook kernel variables, its own `CUDA_VISIBLE_DEVICES`, and
    `JAX_PLATFORMS=cpu` when it has no GPU."""
    env = {k: v for k, v in base.items() if not k.startswith(("JPY_", "JUPYTER_"))}
    env.update(KERNEL_VARS)
    env.update(extra)
    env["CUDA_VISIBLE_DEVICES"] = ",".join(devices)
    if devices:
        env.pop("JAX_PLATFORMS", None)
    else:
        env["JAX_PLATFORMS"] = "cpu"
    if pythonpath:
        old = env.get("PYTHONPATH")
        env["PYTHONPATH"] = os.pathsep.join([*pythonpath, *([old] if old else [])])
    return env
