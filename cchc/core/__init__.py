"""The core layer: the document model, errors, options, the Vietnamese text rules, units and column descriptions.

Everything else builds on these modules and they import nothing from the project but each other and the
catalog data (tests/test_layers.py checks it).
"""
