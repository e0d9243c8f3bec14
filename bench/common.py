"""What the benchmarks share: the Thai demo extracts built once per scale and as-of date into data/bench/, and
a publish of them into a benchmark's own data folder and state store (never the app's)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COUNTRY = "th"
WORKDIR = ROOT / "data" / "bench"


def ensure_extracts(workdir: Path, scale: int) -> Path:
    """The demo extracts at `scale`, built into `workdir`/scale<N>/th unless already there for today's as-of date."""
    from cockpit.demo import build

    workdir.mkdir(parents=True, exist_ok=True)
    ignore = workdir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")  # extracts, versions and stores for the benchmarks only
    out = workdir / f"scale{scale}"
    found = build.manifest(out / COUNTRY) if (out / COUNTRY).is_dir() else None
    if found is None or found.get("scale") != scale or found.get("as_of") != build.default_as_of().isoformat():
        start = time.perf_counter()
        build.build(COUNTRY, out, scale=scale, seed=42)
        print(f"built scale {scale} extracts in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return out / COUNTRY
