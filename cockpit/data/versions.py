"""Published versions of a country's data: immutable, each with its manifest, and the `current` pointer.

Layout under the data URL (a local folder, or s3://bucket/prefix through fsspec):

    <country>/versions/<version>/model.duckdb    the checked extracts and every model the pages read
    <country>/versions/<version>/manifest.json   written last: a version without it is partial, never served
    <country>/current                            the served version's id, replaced in one step
    <country>/rejected/<stamp>.json              publishes the contract refused: what was wrong, and where

Only `publish` writes; the page servers read. A reader sees either the old `current` or the new one
(a local file is replaced by rename, an object by a single PUT), and a version is complete before any
pointer names it. A remote version is copied once into a local cache folder for DuckDB to open.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from pathlib import Path

import fsspec
from fsspec.implementations.local import LocalFileSystem

MODEL = "model.duckdb"
MANIFEST = "manifest.json"


class VersionError(Exception):
    """A version or country that does not exist, or a pointer that names a missing version."""


class Unreachable(Exception):
    """The place the versions live cannot be read now (a bucket down, a share unmounted)."""


def _reachable(read):
    """Any failure of the storage backend other than "not there" as Unreachable: fsspec's backends each raise
    their own (botocore's EndpointConnectionError, OSError...), and a reader needs one thing to catch."""

    @functools.wraps(read)
    def wrapper(self, *args, **kwargs):
        try:
            return read(self, *args, **kwargs)
        except (FileNotFoundError, NotADirectoryError, VersionError, Unreachable):
            raise
        except Exception as exc:  # noqa: BLE001 (see the docstring)
            first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise Unreachable(f"{self.url} cannot be read: {first_line}") from exc

    return wrapper


class Store:
    def __init__(self, url: str | Path, cache_dir: str | Path | None = None):
        self.url = str(url)
        # A bucket's listings are not cached (another process publishes into it), and each Store has a client of
        # its own, made with the credentials and endpoint of the moment (fsspec would hand out a cached one).
        remote = fsspec.utils.get_protocol(self.url) != "file"
        options = {"use_listings_cache": False, "skip_instance_cache": True} if remote else {}
        self.fs, self.root = fsspec.core.url_to_fs(self.url, **options)
        self.local = isinstance(self.fs, LocalFileSystem)
        self.cache_dir = Path(cache_dir) if cache_dir else Path(tempfile.gettempdir()) / "cockpit-versions"

    def _path(self, *parts: str) -> str:
        return "/".join([self.root.rstrip("/"), *parts])

    # ---- reading ------------------------------------------------------------------------------

    @_reachable
    def countries(self) -> list[str]:
        """Countries published to, or refused (so a first publish the contract refused is reported, not hidden)."""
        try:
            entries = self.fs.ls(self.root, detail=True)
        except FileNotFoundError:
            return []
        names = sorted(e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e["type"] == "directory")
        return [
            c
            for c in names
            if not c.startswith(".") and (self.current(c) is not None or self.fs.exists(self._path(c, "rejected")))
        ]

    @_reachable
    def current(self, country: str) -> str | None:
        """The id of the version the country's pages serve, or None before the first publish."""
        try:
            text = self.fs.cat_file(self._path(country, "current")).decode("utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return text or None

    @_reachable
    def versions(self, country: str) -> list[str]:
        """The complete versions (with a manifest), oldest first: ids sort by the time they were published."""
        try:
            entries = self.fs.ls(self._path(country, "versions"), detail=False)
        except FileNotFoundError:
            return []
        ids = sorted(e.rstrip("/").rsplit("/", 1)[-1] for e in entries)
        return [v for v in ids if self.fs.exists(self._path(country, "versions", v, MANIFEST))]

    @_reachable
    def manifest(self, country: str, version: str) -> dict:
        try:
            return json.loads(self.fs.cat_file(self._path(country, "versions", version, MANIFEST)))
        except FileNotFoundError:
            raise VersionError(f"no version {version!r} of {country!r} in {self.url}") from None

    @_reachable
    def model_file(self, country: str, version: str) -> Path:
        """A local path of the version's DuckDB file: the file itself, or the local cache's copy of a remote one."""
        if self.local:
            path = Path(self._path(country, "versions", version, MODEL))
            if not path.exists():
                raise VersionError(f"version {version!r} of {country!r} has no {MODEL} in {self.url}")
            return path
        cached = self.cache_dir / country / version / MODEL
        if not cached.exists():
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f".{MODEL}.{os.getpid()}.part")
            try:
                self.fs.get_file(self._path(country, "versions", version, MODEL), str(partial))
            except FileNotFoundError:
                raise VersionError(f"version {version!r} of {country!r} has no {MODEL} in {self.url}") from None
            os.replace(partial, cached)  # two processes may both download; each rename is whole
        return cached

    @_reachable
    def rejections(self, country: str, last: int | None = None) -> list[dict]:
        """The publishes the contract refused (the `last` ones only, when given), oldest first."""
        try:
            listed = self.fs.ls(self._path(country, "rejected"), detail=False)
            entries = sorted(e for e in listed if e.endswith(".json"))
        except (FileNotFoundError, NotADirectoryError):
            return []
        if last is not None:
            entries = entries[-last:] if last else []
        return [json.loads(self.fs.cat_file(e)) for e in entries]

    # ---- writing (publish only) -----------------------------------------------------------------

    def add_version(self, country: str, version: str, model: Path, manifest: dict) -> None:
        """Store a finished version: the model first, the manifest last, so it is never seen half-written."""
        if self.local:
            staging = Path(self._path(country, ".staging", version))
            staging.mkdir(parents=True, exist_ok=True)
            shutil.move(str(model), staging / MODEL)
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
            final = Path(self._path(country, "versions", version))
            final.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging, final)  # one step: the folder appears whole
            return
        self.fs.put_file(str(model), self._path(country, "versions", version, MODEL))
        self.fs.pipe_file(
            self._path(country, "versions", version, MANIFEST),
            json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"),
        )

    def switch(self, country: str, version: str) -> None:
        """Point `current` at a complete version, in one step."""
        if version not in self.versions(country):
            raise VersionError(f"no complete version {version!r} of {country!r} in {self.url}")
        if self.local:
            pointer = Path(self._path(country, "current"))
            fd, tmp = tempfile.mkstemp(dir=pointer.parent, prefix=".current.")
            with os.fdopen(fd, "w") as f:
                f.write(version + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, pointer)
            return
        self.fs.pipe_file(self._path(country, "current"), (version + "\n").encode())

    def reject(self, country: str, stamp: str, payload: dict) -> None:
        """Keep a refused publish's report, for the sidebar and the Data page."""
        if self.local:
            self.fs.makedirs(self._path(country, "rejected"), exist_ok=True)
        self.fs.pipe_file(
            self._path(country, "rejected", f"{stamp}.json"), json.dumps(payload, ensure_ascii=False).encode("utf-8")
        )

    def clean_partial(self, country: str) -> list[str]:
        """Remove what a killed publish left behind: staging folders, versions without a manifest, pointer drafts."""
        removed = []
        if self.local:
            for draft in Path(self._path(country)).glob(".current.*"):
                draft.unlink(missing_ok=True)
                removed.append(draft.name)
        staging = self._path(country, ".staging")
        if self.fs.exists(staging):
            self.fs.rm(staging, recursive=True)
            removed.append(".staging")
        complete = set(self.versions(country))
        try:
            entries = self.fs.ls(self._path(country, "versions"), detail=False)
        except FileNotFoundError:
            entries = []
        for entry in entries:
            version = entry.rstrip("/").rsplit("/", 1)[-1]
            if version not in complete:
                self.fs.rm(entry, recursive=True)
                removed.append(version)
        return removed

    def prune(self, country: str, keep: int) -> list[str]:
        """Delete the oldest versions beyond `keep`, never the current one."""
        current = self.current(country)
        old = [v for v in self.versions(country) if v != current]
        doomed = old[: max(0, len(old) - max(keep - 1, 0))]
        for version in doomed:
            self.fs.rm(self._path(country, "versions", version), recursive=True)
        return doomed
