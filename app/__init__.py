"""The edges of articlechat: the ``rag`` command, the Gradio web app and what it needs (rendering,
uploads), and assembling the local model file.  Everything here sits on ``chat``, ``ingest``,
``vectorstore`` and ``evaluation``; nothing below imports it."""
