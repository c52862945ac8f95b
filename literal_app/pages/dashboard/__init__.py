"""The dashboard page (``page.py``); its state and plotly figures are in ``literal_app/state/dashboard``."""
