# A package on purpose: its conftest is then imported as "e2e.conftest" and does not replace the top-level
# tests/conftest.py in sys.modules (other test modules do `from conftest import numeric_grad`).
