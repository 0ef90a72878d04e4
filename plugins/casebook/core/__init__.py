"""The core: content kinds, model, loading, validation, vocabulary and similarity. Plain Python; imports nothing above it."""
