"""The gated-cell lessons: /lstm, /gru and /bidirectional (three pages, one folder: they share the input
patterns, the way the cells are configured from sliders, the heatmap rows and the step-and-unit controls)."""
