"""casebook: a knowledge base of case studies and organisation profiles for MkDocs.

Four layers, each importing only those below it (checked by import-linter):

- ``core``: content kinds, model, loading, validation, vocabulary, similarity (plain Python);
- ``site``: pages, templates, exports, feeds, JSON-LD, schemas and issue forms;
- ``mkdocs``: the plugin, wiring the site into MkDocs' build events;
- ``cli``: the ``casebook`` command.
"""
