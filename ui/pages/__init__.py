"""The app's pages, one file each, run by ``st.navigation`` from ``app.py``."""
