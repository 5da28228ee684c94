"""A corpus of broken inputs, each built from a copy of the real demo: the file a command reads is damaged in one
way (or the folder, the checksum list, the database, the output path). Independent of the code under test:
standard library only.

The damaged table is ``omr`` (small, with a free-text column and a reference to ``patients``), so every
command has something to read: validate and load (omr, patients), scan-phi (omr's text), guard (the files),
diff (against the pristine copy).
"""

from __future__ import annotations

import gzip
import os
import socket
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.damage import ReleaseCopy

TABLES = ["omr", "patients"]
TARGET = "hosp/omr.csv.gz"


@dataclass(frozen=True)
class Case:
    name: str
    what: str  # one line for the troubleshooting matrix
    build: Callable[[Path], None]  # damages the copy at this root
    as_other_user: bool = False  # run the commands as an unprivileged user (root reads every file)


def _csv(root: Path) -> bytes:
    return gzip.decompress((root / TARGET).read_bytes())


def _write_gz(root: Path, data: bytes) -> None:
    (root / TARGET).write_bytes(gzip.compress(data, mtime=0))


def _replace_target(root: Path) -> Path:
    path = root / TARGET
    path.unlink()
    return path


def _truncated(root: Path) -> None:
    data = (root / TARGET).read_bytes()
    (root / TARGET).write_bytes(data[: len(data) // 2])


def _trailing(root: Path) -> None:
    with (root / TARGET).open("ab") as fh:
        fh.write(b"this is not gzip\n" * 4)


def _plain(root: Path) -> None:
    (root / TARGET).write_bytes(_csv(root))


def _empty(root: Path) -> None:
    (root / TARGET).write_bytes(b"")


def _crlf(root: Path) -> None:
    _write_gz(root, _csv(root).replace(b"\n", b"\r\n"))


def _mixed_endings(root: Path) -> None:
    lines = _csv(root).split(b"\n")
    _write_gz(root, b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines[:-1])))


def _bom(root: Path) -> None:
    _write_gz(root, b"\xef\xbb\xbf" + _csv(root))


def _utf16(root: Path) -> None:
    _write_gz(root, _csv(root).decode("utf-8").encode("utf-16"))


def _latin1(root: Path) -> None:
    data = bytearray(_csv(root))
    at = data.index(b"\n", len(data) // 2) - 2  # inside the last field of a row in the middle
    data[at] = 0xE9
    _write_gz(root, bytes(data))


def _semicolons(root: Path) -> None:
    _write_gz(root, _csv(root).replace(b",", b";"))


def _quoted_newline(root: Path) -> None:
    head, rest = _csv(root).split(b"\n", 1)
    first, others = rest.split(b"\n", 1)
    fields = first.split(b",")
    fields[-1] = b'"' + fields[-1] + b'\nsecond line"'
    _write_gz(root, head + b"\n" + b",".join(fields) + b"\n" + others)


def _huge_field(root: Path) -> None:
    head, rest = _csv(root).split(b"\n", 1)
    first, others = rest.split(b"\n", 1)
    fields = first.split(b",")
    fields[-1] = b"9" * (50 << 20)
    _write_gz(root, head + b"\n" + b",".join(fields) + b"\n" + others)


def _nul(root: Path) -> None:
    data = bytearray(_csv(root))
    data[data.index(b"\n", len(data) // 3) - 1] = 0
    _write_gz(root, bytes(data))


def _header_only(root: Path) -> None:
    _write_gz(root, _csv(root).split(b"\n", 1)[0] + b"\n")


def _duplicate_header(root: Path) -> None:
    head, rest = _csv(root).split(b"\n", 1)
    names = head.split(b",")
    names[2] = names[1]
    _write_gz(root, b",".join(names) + b"\n" + rest)


def _upper_case(root: Path) -> None:
    (root / TARGET).rename(root / "hosp" / "OMR.CSV.GZ")
    (root / "hosp").rename(root / "HOSP")


def _directory(root: Path) -> None:
    _replace_target(root).mkdir()


def _fifo(root: Path) -> None:
    os.mkfifo(_replace_target(root))


def _socket(root: Path) -> None:
    path = _replace_target(root)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.close()  # the socket file stays


def _dangling(root: Path) -> None:
    _replace_target(root).symlink_to(root / "nowhere.csv.gz")


def _unreadable(root: Path) -> None:
    (root / TARGET).chmod(0)


def _empty_sums(root: Path) -> None:
    (root / "SHA256SUMS.txt").write_bytes(b"")


def _garbled_sums(root: Path) -> None:
    (root / "SHA256SUMS.txt").write_bytes(bytes(range(256)) * 8)


CASES: tuple[Case, ...] = (
    Case("truncated-gzip", "the gzip stream stops half way", _truncated),
    Case("gzip-trailing-bytes", "bytes that are not gzip after the stream", _trailing),
    Case("plain-csv-named-gz", "an uncompressed CSV named .csv.gz", _plain),
    Case("zero-byte-file", "an empty file", _empty),
    Case("crlf-line-endings", "CRLF line endings", _crlf),
    Case("mixed-line-endings", "LF and CRLF mixed", _mixed_endings),
    Case("utf8-bom", "a UTF-8 byte-order mark before the header", _bom),
    Case("utf16", "the text re-encoded as UTF-16", _utf16),
    Case("latin1-bytes", "a Latin-1 byte (not UTF-8) in a text field", _latin1),
    Case("wrong-delimiter", "semicolons instead of commas", _semicolons),
    Case("quoted-newline", "a quoted field holding a newline (valid CSV)", _quoted_newline),
    Case("50mb-field", "one field of 50 MB", _huge_field),
    Case("nul-byte", "a NUL byte in a field", _nul),
    Case("header-only", "the header line and no row", _header_only),
    Case("duplicated-header", "two columns of the same name", _duplicate_header),
    Case("upper-case-names", "HOSP/OMR.CSV.GZ instead of hosp/omr.csv.gz", _upper_case),
    Case("directory", "a directory where the file should be", _directory),
    Case("fifo", "a FIFO where the file should be", _fifo),
    Case("socket", "a socket where the file should be", _socket),
    Case("dangling-symlink", "a symbolic link to nothing", _dangling),
    Case("unreadable-file", "a file its user may not read", _unreadable, as_other_user=True),
    Case("empty-sha256sums", "an empty SHA256SUMS.txt", _empty_sums),
    Case("garbled-sha256sums", "binary garbage in SHA256SUMS.txt", _garbled_sums),
)


def build(case: Case, demo: Path, dest: Path) -> Path:
    """A copy of the demo (omr and patients) damaged as ``case`` says; returns its root."""
    copy = ReleaseCopy(demo, dest, tables=TABLES)
    case.build(copy.root)
    if case.as_other_user:  # the other user must reach every other file
        for path in [dest, *dest.rglob("*")]:
            if path != dest / TARGET and not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    return copy.root
