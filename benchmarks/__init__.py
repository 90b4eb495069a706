"""The library's benchmarks on real UCI-HAR data; results in ``benchmarks/results``.

Run each from the repository root as a module, e.g.
``python -m benchmarks.dsc_uci_har --config cpu``; the scripts share
:mod:`benchmarks._common` and import one another as ``benchmarks.<name>``.
"""
