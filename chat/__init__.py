"""Questions → cited answers: ``from chat import answer``.

>>> from chat import answer
>>> a = answer("Which Vietnamese exports did China agree to license?")   # doctest: +SKIP
>>> a.refused, a.citations[0].source                                    # doctest: +SKIP
(False, 'vietnam-china-shared-future-2025-04.txt')
"""

from chat.answer import answer, answer_stream
from vectorstore.types import Answer, Citation, Hit

__all__ = ["Answer", "Citation", "Hit", "answer", "answer_stream"]
