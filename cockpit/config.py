"""Configuration files in version control (config/*.yaml): read, checked by a schema, errors naming key and line.

Every file kind declares a pydantic model (on `Strict`: unknown keys, wrong types and non-finite numbers
are refused) next to its loader; `validate` turns what pydantic finds into a ConfigError naming the
file, the dotted key and the line of the file where that key is (a missing key: its parent's line).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from cockpit import settings
from cockpit.i18n import LANGUAGES


def path(name: str) -> Path:
    """A configuration file by name, in the folder the `config_dir` setting names (read at each call, so a
    deployment or a test can point the whole cockpit at another folder)."""
    return settings.load().config_dir / name


POLICY_STATUS_FILE = "policy_status.yaml"
WHOLE_FILE = "(file)"  # the key of a problem with the file as a whole (unreadable, not UTF-8, not YAML)


class ConfigError(Exception):
    """A configuration file that cannot be used, naming the file, the key at fault and its line (1 = the first)."""

    def __init__(self, file: Path | str, key: str, problem: str, line: int | None = None):
        self.file, self.key, self.problem, self.line = str(file), key, problem, line
        where = f"{file} (line {line})" if line else str(file)
        super().__init__(f"{where}: {problem}" if key == WHOLE_FILE else f"{where}: {key}: {problem}")

    def for_reader(self) -> str:
        """The message as a page shows it: the file's name, not the server's folders, then line, key and problem."""
        where = Path(self.file).name + (f" (line {self.line})" if self.line else "")
        return f"{where}: {self.problem}" if self.key == WHOLE_FILE else f"{where}: {self.key}: {self.problem}"


class Invalid(ValueError):
    """Raised inside a model's validator: `problem` about the model's own `key` (None: the model as a whole)."""

    def __init__(self, problem: str, key: str | None = None):
        super().__init__(problem)
        self.problem, self.key = problem, key


class Strict(BaseModel):
    """The base of every file's model: no unknown keys, no "3" for 3, no true for 1, no .nan or .inf."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


def _texts(raw):
    """A text in English, or a mapping of language (en, th, lo) to text."""
    if isinstance(raw, str):
        return {"en": raw}
    if not isinstance(raw, dict):
        raise Invalid("must be text, or a mapping of language (en, th, lo) to text")
    return raw


def _english(texts: dict) -> dict:
    if "en" not in texts:
        raise Invalid("needs an English (en) text to fall back on")
    return texts


# A text a reader sees, written in a config file: English, with Thai and Lao beside it when known.
Texts = Annotated[dict[Literal[LANGUAGES], str], BeforeValidator(_texts), AfterValidator(_english)]


def text_in(texts: dict[str, str], lang: str) -> str:
    """The text in `lang`, else in English."""
    return texts.get(lang) or texts["en"]


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, eq=False)
class Document:
    """A YAML file as Python values (`data`) and as the composed node tree that knows each key's line."""

    file: str
    data: Any
    node: yaml.Node | None

    def locate(self, loc: Sequence, missing: bool = False) -> tuple[str, int | None]:
        """The dotted key of pydantic's `loc` and its line in the file.

        Parts of `loc` that are no key of the file (a union's tag) are left out; with `missing`, the last
        part is a key the file does not have, on its parent's line.
        """
        data, node = self.data, self.node
        line = node.start_mark.line + 1 if node is not None else None
        parts: list[str] = []
        for i, part in enumerate(loc):
            found = _child(data, node, part)
            if found is None:
                if missing and i == len(loc) - 1:
                    parts.append(str(part))
                continue
            parts.append(f"[{part}]" if isinstance(data, list) else str(part))
            data, node, at = found
            line = at if at is not None else line
        return ".".join(parts).replace(".[", "["), line


def _child(data, node, part):
    """(value, its node, the line of its key or item) of `part` in a mapping or list; None when not there."""
    if isinstance(data, dict):
        matches = [k for k in data if k == part or str(k) == str(part)]
        if not matches or isinstance(part, int) and not isinstance(matches[0], int) and str(part) != matches[0]:
            return None
        key = matches[0]
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(key):
                    return data[key], v, k.start_mark.line + 1
        return data[key], None, None
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        item = node.value[part] if isinstance(node, yaml.SequenceNode) and part < len(node.value) else None
        return data[part], item, item.start_mark.line + 1 if item is not None else None
    return None


def parse(path: Path | str, content: bytes) -> Document:
    """The document in a file's bytes; ConfigError (key "(file)", with the line) when not UTF-8 or not YAML."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ConfigError(path, WHOLE_FILE, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8", line) from None
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # refuses a character YAML does not allow (NUL, other controls) already
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None)  # a ReaderError has a reason
        position = getattr(exc, "position", None)
        line = mark.line + 1 if mark else None if position is None else text[:position].count("\n") + 1
        raise ConfigError(path, WHOLE_FILE, "not valid YAML" + (f": {problem}" if problem else ""), line) from None
    except RecursionError:  # PyYAML recurses a few frames per level: "[[[[…" some hundreds deep
        raise ConfigError(path, WHOLE_FILE, "not valid YAML: nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(str(path), data, node)


def document(path: Path | str, expected: str) -> tuple[Document, int]:
    """The YAML mapping in `path` with its nodes, and the file's modification stamp (a cache key).

    `expected` says what the mapping should hold, for the error when it holds something else.
    """
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigError(path, WHOLE_FILE, f"cannot be read: {exc.strerror}") from None
    return _document(str(path), stamp, expected), stamp


@lru_cache(maxsize=32)
def _document(path: str, _stamp: int, expected: str) -> Document:
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(path, WHOLE_FILE, f"cannot be read: {exc.strerror}") from None
    doc = parse(path, content)
    if not isinstance(doc.data, dict):
        raise ConfigError(path, WHOLE_FILE, f"must be a mapping with {expected}", 1)
    return doc


def read(path: Path | str, expected: str) -> tuple[dict, int]:
    """The YAML mapping in `path` and the file's modification stamp (a cache key for what is built from it)."""
    doc, stamp = document(path, expected)
    return doc.data, stamp


def load(path: Path | str, model: type[M], expected: str) -> tuple[M, int]:
    """The file at `path` validated by `model`, and its stamp; ConfigError names file, key and line."""
    doc, stamp = document(path, expected)
    return _validated(model, doc), stamp


@lru_cache(maxsize=32)
def _validated(model: type[M], doc: Document) -> M:
    return validate(model, doc)


def validate(model: type[M], doc: Document, prefix: Sequence = ()) -> M:
    """The part of the document at `prefix` (default: all of it) as a `model`, or the first problem as a
    ConfigError naming the document's file, the dotted key and its line."""
    data = doc.data
    for i, part in enumerate(prefix):
        found = _child(data, None, part)
        if found is None:
            key, line = doc.locate(prefix[: i + 1], missing=True)
            raise ConfigError(doc.file, key, "missing", line)
        data = found[0]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    # A misspelt key also leaves the right one missing: the unknown key is the one to name.
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = [*prefix, *error["loc"]]
    problem = _problem(error)
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, Invalid) and cause.key:
        loc += [int(p) if p.isdigit() else p for p in cause.key.split(".")]
    elif error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc.append(str(ctx.get("discriminator", "")).strip("'"))
    elif error["type"] == "extra_forbidden":
        known = _known_keys(model, error["loc"][:-1])
        if known:
            problem = f"unknown key (known: {', '.join(sorted(known))})"
    key, line = doc.locate(loc, missing=error["type"] in ("missing", "union_tag_not_found"))
    raise ConfigError(doc.file, key or WHOLE_FILE, problem, line) from None


def error(path: Path | str, key: str, problem: str) -> ConfigError:
    """A ConfigError about a dotted `key` of the file at `path` found wrong after validation (by the data it
    names), with the key's line when the file can still be read."""
    try:
        doc, _stamp = document(path, "")
    except ConfigError:
        return ConfigError(path, key, problem)
    loc = [int(p) if p.isdigit() and isinstance(doc.data, list) else p for p in key.split(".")]
    return ConfigError(path, key, problem, doc.locate(loc)[1])


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# Pydantic's error types in plain, short words (the pages translate the frame around them).
PROBLEMS = {
    "missing": "missing",
    "extra_forbidden": "unknown key",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "dict_type": "must be a mapping",
    "list_type": "must be a list",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "string_pattern_mismatch": "is not in the expected form",
    "union_tag_not_found": "missing",
}


def _problem(error: dict) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    got = f", got {_shown(value)}" if kind not in ("missing", "extra_forbidden", "union_tag_not_found") else ""
    if isinstance(ctx.get("error"), Invalid):
        return ctx["error"].problem
    if kind == "literal_error":
        return f"must be one of {_choices(ctx['expected'])}{got}"
    if kind == "union_tag_invalid":
        return f"must be one of {_choices(ctx['expected_tags'])}, got {_shown(ctx.get('tag'))}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, name = bounds[kind]
        return f"must be {words} {ctx[name]}{got}"
    if kind in PROBLEMS:
        return PROBLEMS[kind] + got
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _choices(expected: str) -> str:
    """Pydantic's "'a', 'b' or 'c'" as "a, b, c"."""
    return expected.replace(" or ", ", ").replace("'", "")


def _known_keys(model: type[BaseModel], loc: Sequence) -> list[str]:
    """The keys the model allows at `loc` (best effort through lists, mappings and unions), for the unknown key."""
    kind: Any = model
    for part in loc:
        kind = _inner(kind, part)
        if kind is None:
            return []
    kind = _inner(kind, None)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return [f.alias or name for name, f in kind.model_fields.items()]
    return []


def _inner(kind, part):
    """The type at `part` inside `kind` (None: unknown); part None unwraps Annotated and Optional only."""
    while True:
        origin = typing.get_origin(kind)
        if origin is typing.Annotated:
            kind = typing.get_args(kind)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(kind) if a is not type(None)]
            members = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tagged = [m for m in members if _tag(m) == part]
            if tagged:
                return tagged[0]
            if len(args) != 1:
                return None
            kind = args[0]
        else:
            break
    if part is None:
        return kind
    origin = typing.get_origin(kind)
    if origin in (list, tuple):
        return typing.get_args(kind)[0]
    if origin is dict:
        return typing.get_args(kind)[1]
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        for name, f in kind.model_fields.items():
            if part in (name, f.alias):
                return f.annotation
    return None


def _tag(member: type[BaseModel]):
    field = member.model_fields.get("kind")
    args = typing.get_args(field.annotation) if field is not None else ()
    return args[0] if args else None


# ------------------------------------------------------------------------------------------------
# "Stuck", shared by the Policies page, the White wall and the stuck_policy alert rule


@dataclass(frozen=True)
class Stuck:
    """What "stuck" means, once for the Policies page, the White wall and the stuck_policy alert rule."""

    periods: int  # reporting periods in a row without progress while the plan moved on
    include_projects: bool  # projects count, not only policies and programmes


class StuckSection(Strict):
    """config/policy_status.yaml's `stuck`: the rest of the file is the Policies page's (review/policies.py)."""

    periods: Annotated[int, Field(ge=1, le=60)]
    include_projects: bool = True


def stuck(file: Path | str | None = None) -> Stuck:
    """The `stuck` section of the policy status config; ConfigError names the key and its line."""
    doc, _stamp = document(file or path(POLICY_STATUS_FILE), "status, stuck and milestones")
    section = validate(StuckSection, doc, ("stuck",))
    return Stuck(section.periods, section.include_projects)
