"""Unrolled's lessons: one folder per lesson (recipe, figures, settings, page scripts) and ``kit``, the helpers
they share. A lesson imports ``kit`` and ``rnn_core`` but never another lesson (tests/lessons/test_structure.py)."""
