"""The dashboard page (``page.py``), its state (``state.py``) and its plotly figures (``charts.py``)."""
