"""Lesson recipes: pure NumPy functions that compose the engine into what one lesson shows.

One module per lesson group; each takes a frozen config dataclass (hashable, so pages can
cache on it) and returns plain arrays/dataclasses. No Streamlit, no Plotly here.
"""
