"""Measuring articlechat from outside: test sets, scripted models, scores and reports.

Built on ``chat.answer`` and never patching it.  ``evaluation.claims`` runs an adversarial claim file
through a scripted OpenAI-compatible model (``evaluation.scripted``) behind the real ``openai``
generator, to show which fabricated claims verification lets through.
"""
