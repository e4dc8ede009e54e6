"""Frame dictionaries: named frames with German/English term patterns, and their file formats.

Formats read and written:

- the kit's YAML (``frames: {name: {label, description, de: [...], en: [...]}}``),
- quanteda / Lexicoder-style YAML (``{frame: [patterns]}``, nested keys flattened with ``.``),
- LIWC ``.dic`` (``%``-delimited category block, then ``pattern<TAB>category ids``).

Patterns from formats without a language apply to every language (key ``any``).

>>> d = FrameDictionary.from_mapping({"military": ["soldat*", "truppe"], "diplomacy": ["verhandlung*"]})
>>> d.frames, d.patterns("military", "de")
(['military', 'diplomacy'], ['soldat*', 'truppe'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import yaml

from analysis.frames.yamlfile import load_file

BUNDLED = ("generic", "conflict")
ANY = "any"


@dataclass
class Frame:
    """One frame: a label, a description and term patterns per language (``de``, ``en``, ``any``)."""

    name: str
    label: str = ""
    description: str = ""
    patterns: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class FrameDictionary:
    """An ordered set of frames; see :func:`load_dictionary`."""

    name: str
    entries: dict[str, Frame]
    description: str = ""

    @property
    def frames(self) -> list[str]:
        return list(self.entries)

    @property
    def languages(self) -> list[str]:
        return sorted({lang for frame in self.entries.values() for lang in frame.patterns})

    def patterns(self, frame: str, lang: str) -> list[str]:
        """Patterns of ``frame`` for ``lang``, including language-independent ones."""
        entry = self.entries[frame]
        return list(dict.fromkeys(entry.patterns.get(lang, []) + entry.patterns.get(ANY, [])))

    def __repr__(self) -> str:
        counts = ", ".join(f"{f}: {sum(len(p) for p in e.patterns.values())}" for f, e in self.entries.items())
        return f"FrameDictionary({self.name!r}, languages={self.languages}, patterns per frame: {counts})"

    @classmethod
    def from_mapping(cls, mapping: dict, *, name: str = "custom") -> "FrameDictionary":
        """From the kit's YAML structure (with ``frames:``) or a flat ``{frame: [patterns]}``."""
        if "frames" in mapping and isinstance(mapping["frames"], dict):
            entries = {}
            for frame, spec in mapping["frames"].items():
                patterns = {lang: _clean(spec[lang], frame) for lang in spec if lang not in ("label", "description")}
                entries[frame] = Frame(frame, spec.get("label", frame), spec.get("description", ""), patterns)
            return cls(mapping.get("name", name), entries, mapping.get("description", ""))
        flat = _flatten(mapping)
        return cls(name, {frame: Frame(frame, frame, "", {ANY: _clean(p, frame)}) for frame, p in flat.items()})

    def to_yaml(self, path) -> Path:
        """Write the kit's YAML format."""
        data = {"name": self.name, "description": self.description, "frames": {
            f: {"label": e.label, "description": e.description, **e.patterns} for f, e in self.entries.items()}}
        path = Path(path)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    def to_dic(self, path, *, lang: str) -> Path:
        """Write LIWC ``.dic`` for one language (patterns of all frames, categories numbered from 1)."""
        lines = ["%"] + [f"{i}\t{frame}" for i, frame in enumerate(self.frames, start=1)] + ["%"]
        ids: dict[str, list[str]] = {}
        for i, frame in enumerate(self.frames, start=1):
            for pattern in self.patterns(frame, lang):
                ids.setdefault(pattern, []).append(str(i))
        lines += [f"{pattern}\t" + "\t".join(cats) for pattern, cats in ids.items()]
        path = Path(path)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _clean(patterns, frame: str) -> list[str]:
    if isinstance(patterns, str) or not isinstance(patterns, (list, tuple)):
        raise ValueError(f"frame {frame!r}: patterns must be a list of strings, got {patterns!r}.")
    out = [str(p).strip().lower() for p in patterns if str(p).strip()]
    bad = [p for p in out if not p.strip("*?")]
    if bad:
        raise ValueError(f"frame {frame!r}: pattern {bad[0]!r} would match every word.")
    return list(dict.fromkeys(out))


def _flatten(mapping: dict, prefix: str = "") -> dict[str, list]:
    flat = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat


def read_dic(path) -> FrameDictionary:
    """Read a LIWC-style ``.dic`` file."""
    text = Path(path).read_text(encoding="utf-8-sig")
    parts = text.split("%")
    if len(parts) < 3:
        raise ValueError(f"'{path}' is not a LIWC .dic file: expected a category block between two '%' lines.")
    categories = {}
    for line in parts[1].strip().splitlines():
        number, _, name = line.strip().partition("\t") if "\t" in line else line.strip().partition(" ")
        categories[number.strip()] = name.strip()
    patterns: dict[str, list[str]] = {name: [] for name in categories.values()}
    for line in "%".join(parts[2:]).strip().splitlines():
        fields = line.split("\t") if "\t" in line else line.split()
        if len(fields) < 2:
            continue
        for number in fields[1:]:
            if number.strip() not in categories:
                raise ValueError(f"'{path}': pattern {fields[0]!r} names unknown category {number!r}.")
            patterns[categories[number.strip()]].append(fields[0])
    return FrameDictionary.from_mapping(patterns, name=Path(path).stem)


def load_dictionary(name_or_path) -> FrameDictionary:
    """A bundled dictionary (``"generic"``, ``"conflict"``), a path (.yaml/.yml/.dic), a
    mapping, or a :class:`FrameDictionary` (returned as is)."""
    if isinstance(name_or_path, FrameDictionary):
        return name_or_path
    if isinstance(name_or_path, dict):
        return FrameDictionary.from_mapping(name_or_path)
    if isinstance(name_or_path, str) and name_or_path in BUNDLED:
        bundled = files("analysis").joinpath("resources", "frames", f"{name_or_path}.yaml")
        return FrameDictionary.from_mapping(load_file(bundled), name=name_or_path)
    path = Path(name_or_path)
    if not path.exists():
        raise FileNotFoundError(f"no frame dictionary {str(name_or_path)!r}: not a bundled name {BUNDLED} "
                                "and no such file.")
    if path.suffix.lower() == ".dic":
        return read_dic(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return FrameDictionary.from_mapping(load_file(path), name=path.stem)
    raise ValueError(f"cannot read a dictionary from '{path.name}': use .yaml/.yml or LIWC .dic.")
