"""sktime_har.plotting."""
