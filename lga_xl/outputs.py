"""Writing output files safely: never over an input, never half a file, never a name Excel refuses.

Every command that writes checks its output first with :func:`check_output`
(or :func:`prepare_output_folder` for a folder) and writes through
:func:`atomic_write`, so that:

* an existing file is replaced only when the user asked (``force``), and an
  input or the store never, even then;
* ``-o plan.xls``, ``plan.csv`` or ``plan`` is refused with the name to use:
  Excel will not open .xlsx content under another extension;
* a crash or a full disk leaves the old file as it was, not a truncated one;
* on Windows, a workbook open in Excel is reported as such.

Pure (standard library only).

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> out = check_output(folder / "plan.xlsx", force=False)
    >>> with atomic_write(out) as partial:
    ...     _ = partial.write_bytes(b"workbook")
    >>> out.read_bytes(), sorted(p.name for p in folder.iterdir())
    (b'workbook', ['plan.xlsx'])
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["FORCE_OPTION", "OutputError", "atomic_write", "check_output", "is_inside", "prepare_output_folder",
           "same_path", "unique_names", "within"]

FORCE_OPTION = "--force"  # how messages tell the user to replace an existing output

# Files a system puts in folders by itself: a folder holding only these is empty to the user.
_SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})

_WINDOWS = os.name == "nt"
# On Windows a file just written may be held for a moment by an antivirus scanner or the
# search indexer, and os.replace then fails; a few short retries ride that out.
_REPLACE_ATTEMPTS = 10
_REPLACE_PAUSE_SECONDS = 0.1


class OutputError(ValueError):
    """An output that must not be written, in one line naming it.

    Example:
        >>> str(OutputError("plan.xlsx", "already exists"))
        'plan.xlsx: already exists'
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}")


def check_output(
    path: str | Path,
    *,
    force: bool,
    inputs: Iterable[str | Path] = (),
    store: str | Path | None = None,
    allowed_suffixes: tuple[str, ...] = (".xlsx",),
) -> Path:
    """``path`` as a Path if a command may write to it; OutputError otherwise.

    Refused: a folder; a name not ending in one of ``allowed_suffixes`` (any
    case); the same file as one of ``inputs`` or the ``store`` (symbolic
    links and letter case resolved), even with ``force``; a file in a folder
    that does not exist; an existing file, unless ``force``.

    Example:
        >>> try:
        ...     check_output("plan.xls", force=True)
        ... except OutputError as exc:
        ...     print(exc)
        plan.xls: Excel will not open .xlsx content named .xls; name the file plan.xlsx
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(path, f"is a folder; name a file in it ending in {_either(allowed_suffixes)}")
    suffix = path.suffix.lower()
    if suffix not in {s.lower() for s in allowed_suffixes}:
        wanted = allowed_suffixes[0]
        if not suffix[1:].isalpha():  # "plan", or "plan.v2" whose dot is part of the name
            raise OutputError(path, f"the name does not end in {_either(allowed_suffixes)}; "
                                    f"name the file {path.with_name(path.name + wanted)}")
        if wanted == ".xlsx":
            raise OutputError(path, f"Excel will not open .xlsx content named {path.suffix}; "
                                    f"name the file {path.with_suffix(wanted)}")
        raise OutputError(path, f"the name must end in {_either(allowed_suffixes)}, not {path.suffix}; "
                                f"name the file {path.with_suffix(wanted)}")
    for given in inputs:
        if same_path(path, given):
            raise OutputError(path, f"is the same file as the input {given}; writing it would replace the input, "
                                    "so choose another name")
    if store is not None and same_path(path, store):
        raise OutputError(path, f"is the same file as the store {store}; choose another name")
    if not path.parent.is_dir():
        raise OutputError(path, f"the folder {path.parent} does not exist")
    if path.exists() and not force:
        raise OutputError(path, f"already exists; choose another name, or use {FORCE_OPTION} to replace it")
    return path


@contextmanager
def atomic_write(path: str | Path) -> Iterator[Path]:
    """Write ``path`` all at once: the body writes the file named by the
    yielded path (in the same folder), which replaces ``path`` only if the
    body succeeds; on failure it is removed and ``path`` is untouched.

    The temporary name starts with ``~$``, like Excel's owner files, so that
    ``lga-xl import`` never reads one left behind by a killed process; it
    keeps the extension, since some writers choose their format by it.

    Raises:
        OutputError: ``path`` cannot be replaced (on Windows: open in Excel).

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx"
        >>> _ = out.write_bytes(b"old")
        >>> try:
        ...     with atomic_write(out) as partial:
        ...         _ = partial.write_bytes(b"half a")
        ...         raise OSError("disk full")
        ... except OSError:
        ...     pass
        >>> out.read_bytes(), sorted(p.name for p in out.parent.iterdir())
        (b'old', ['plan.xlsx'])
    """
    target = Path(path)
    partial = target.with_name(f"~${target.stem}-partial-{os.urandom(4).hex()}{target.suffix}")
    try:
        yield partial
        _replace(partial, target)
    except BaseException as exc:  # interrupted too (Ctrl+C): never leave the partial file behind
        partial.unlink(missing_ok=True)
        if isinstance(exc, PermissionError) and exc.filename and Path(exc.filename) == partial:
            # the writer could not create the file: name the output, not the temporary
            raise OutputError(target, "cannot be written: permission denied") from None
        raise


def prepare_output_folder(folder: str | Path, *, force: bool, inputs: Iterable[str | Path] = ()) -> Path:
    """A folder for a command's output files, created if missing.

    Refused: a file; one of the ``inputs``; a folder that already holds
    files (other than .DS_Store, Thumbs.db, desktop.ini), unless ``force``.
    With ``force`` nothing is deleted: files of the same name are replaced.

    Example:
        >>> import tempfile, pathlib
        >>> csv_folder = prepare_output_folder(pathlib.Path(tempfile.mkdtemp()) / "csv", force=False)
        >>> csv_folder.is_dir()
        True
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, "is a file, not a folder")
    for given in inputs:
        if same_path(folder, given):
            raise OutputError(folder, f"is the input folder {given}; choose another folder for the output")
    if folder.is_dir():
        if not force and any(entry.name.lower() not in _SYSTEM_FILES for entry in folder.iterdir()):
            raise OutputError(folder, f"is not empty; choose a new or empty folder, or use {FORCE_OPTION} to write "
                                      "into it (files of the same name are replaced)")
    else:
        folder.mkdir(parents=True)
    return folder


def unique_names(names: Iterable[tuple[str, str]]) -> list[str]:
    """File names for one folder from (stem, suffix) pairs: ``stem + suffix``, or ``stem (2) + suffix`` and on
    when that name is taken; compared ignoring case, as Windows and macOS compare names.

    Example:
        >>> unique_names([("plan", ".xlsx"), ("Plan", ".xlsx"), ("Hove", " - tracker.xlsx")])
        ['plan.xlsx', 'Plan (2).xlsx', 'Hove - tracker.xlsx']
    """
    taken: set[str] = set()
    found = []
    for stem, suffix in names:
        name, number = f"{stem}{suffix}", 1
        while name.casefold() in taken:
            number += 1
            name = f"{stem} ({number}){suffix}"
        taken.add(name.casefold())
        found.append(name)
    return found


def same_path(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name the same file or folder.

    Both existing: the system says (symbolic links, hard links, Windows and
    macOS letter case). Otherwise their resolved paths are compared ignoring
    case: a caution on Linux, where names differing in case are two files.

    Example:
        >>> same_path("returns/../store.sqlite", "STORE.sqlite")
        True
    """
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return _key(Path(a)) == _key(Path(b))


def is_inside(path: str | Path, folders: Iterable[str | Path]) -> bool:
    """Whether ``path`` is one of ``folders`` or below one (links and case resolved as :func:`same_path`).

    ``lga-xl import`` uses it so that its own outputs written inside a folder
    being imported are not read back as returns.

    Example:
        >>> is_inside("returns/csv/ratings.csv", ["returns"]), is_inside("returns-2026/a.xlsx", ["returns"])
        (True, False)
    """
    return within(folders)(path)


def within(folders: Iterable[str | Path]) -> Callable[[str | Path], bool]:
    """:func:`is_inside` for many paths and the same ``folders``, resolved once.

    Example:
        >>> inside_outputs = within(["returns/csv", "returns/consolidated.xlsx"])
        >>> inside_outputs("returns/csv/ratings.csv"), inside_outputs("returns/council.xlsx")
        (True, False)
    """
    keys = [_key(Path(folder)).parts for folder in folders]

    def inside(path: str | Path) -> bool:
        parts = _key(Path(path)).parts
        return any(parts[:len(key)] == key for key in keys)

    return inside


# Private API.


def _key(path: Path) -> Path:
    return Path(os.path.normcase(path.resolve()).casefold())


def _either(suffixes: tuple[str, ...]) -> str:
    return " or ".join(suffixes)


def _replace(partial: Path, target: Path) -> None:
    for attempt in range(1, _REPLACE_ATTEMPTS + 1):
        try:
            os.replace(partial, target)  # atomic, and replaces an existing file on Windows too
            return
        except PermissionError:
            if not _WINDOWS:
                raise OutputError(target, "cannot be written: permission denied") from None
            if attempt == _REPLACE_ATTEMPTS:
                raise OutputError(target, "cannot be replaced: it is open in another program (close it in Excel "
                                          "and try again) or is read-only") from None
            time.sleep(_REPLACE_PAUSE_SECONDS)
