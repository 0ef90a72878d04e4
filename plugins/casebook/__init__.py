"""casebook: a knowledge base of case studies and organisation profiles for MkDocs.

The core (model, sources, vocabulary, similarity, knowledge, render, export) is
plain Python over plain data; ``plugin.py`` adapts it to MkDocs events and
``cli.py`` to the command line.
"""
