"""Coverage Lens analysis layer: corpus loading, per-article NLP and corpus-level tables.

Nothing in this package imports streamlit; the dashboard and the CLI both call it.
"""

__version__ = "0.1.0"
