"""chat/imports.py: the lexicon does not pull in spaCy, the parser does not pull in torch, and both
libraries still import for anyone else (checked in fresh interpreters)."""

from __future__ import annotations

from tests.conftest import python_json


def test_the_lexicon_does_not_import_spacy():
    got = python_json(
        "import json, sys\n"
        "from chat.words import word_classes\n"
        "word_classes('border')\n"
        "print(json.dumps({'spacy': 'spacy' in sys.modules, 'torch': 'torch' in sys.modules}))\n")
    assert got == {"spacy": False, "torch": False}


def test_the_parser_runs_without_torch_and_torch_still_imports():
    got = python_json(
        "import json, sys\n"
        "from chat.roles import swapped\n"
        "verb = swapped('China reaffirmed its view of Laos.', 'Laos reaffirmed its view of China.')\n"
        "before = 'torch' in sys.modules\n"
        "import torch, thinc.compat\n"
        "print(json.dumps({'verb': verb, 'before': before, 'torch': torch.__version__.split('+')[0], "
        "'thinc_torch': thinc.compat.has_torch}))\n")
    assert got == {"verb": "reaffirm", "before": False, "torch": "2.13.0", "thinc_torch": False}
