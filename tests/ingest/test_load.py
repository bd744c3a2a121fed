"""Loading files: text kept byte for byte, HTML reduced to visible text, bad files named clearly."""

from __future__ import annotations

import pytest

from ingest.load import LoadError, load_documents
from tests.conftest import ARTICLES


def test_default_corpus_loads_byte_for_byte():
    docs = list(load_documents([ARTICLES]))
    assert [d.source for d in docs] == sorted(p.name for p in ARTICLES.glob("*.txt"))
    for d in docs:
        assert d.text == (ARTICLES / d.source).read_bytes().decode("utf-8")


def test_sources_are_relative_to_the_folder_named(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("# Title\n\nSome text here.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Bee text.", encoding="utf-8")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF-1.4")
    assert [d.source for d in load_documents([tmp_path])] == ["b.txt", "sub/a.md"]
    assert [d.source for d in load_documents([tmp_path / "b.txt"])] == ["b.txt"]


def test_html_becomes_visible_text_only(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>T</title><style>p{color:red}</style></head><body><h1>Hà Nội</h1>"
        "<p>First &amp; foremost.</p><script>alert('x')</script><p>Second <b>bold</b> line.</p></body></html>",
        encoding="utf-8",
    )
    (doc,) = load_documents([page])
    assert "Hà Nội" in doc.text and "First & foremost." in doc.text and "bold" in doc.text
    assert "alert" not in doc.text and "color:red" not in doc.text and "<p>" not in doc.text


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("latin1.txt", "café".encode("latin-1"), "not valid UTF-8"),
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
        ("empty.txt", b"   \n", "empty"),
    ],
)
def test_bad_files_are_named_in_the_error(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(LoadError, match=message) as err:
        list(load_documents([tmp_path / name]))
    assert name in str(err.value)


def test_bad_files_can_be_skipped_and_reported(tmp_path):
    (tmp_path / "good.txt").write_text("Good text.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    errors: list[str] = []
    docs = list(load_documents([tmp_path], errors=errors))
    assert [d.source for d in docs] == ["good.txt"]
    assert len(errors) == 1 and "bad.txt" in errors[0]


def test_unsupported_extension_and_missing_path(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(LoadError, match=r"unsupported file type '\.pdf'"):
        list(load_documents([tmp_path / "x.pdf"]))
    with pytest.raises(LoadError, match="no such file"):
        list(load_documents([tmp_path / "nope"]))


def test_size_limit(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 300_000, encoding="utf-8")
    with pytest.raises(LoadError, match="over the 1.0 MB limit"):
        list(load_documents([tmp_path / "big.txt"], max_mb=1))


def test_symlink_loop_terminates_and_symlinked_folders_are_named(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text("Bee.", encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "c.txt").write_text("Sea.", encoding="utf-8")
    (tmp_path / "corpus" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert [d.source for d in load_documents([tmp_path])] == ["a.txt", "corpus/c.txt", "elsewhere/b.txt"]
    errors: list[str] = []
    assert [d.source for d in load_documents([tmp_path], errors=errors)] == ["a.txt", "corpus/c.txt", "elsewhere/b.txt"]
    assert errors == [
        "corpus/link: symbolic link to a folder; not followed",
        f"sub/loop: symbolic link to a folder that loops back to {str(tmp_path.resolve())!r}; not followed",
    ]
