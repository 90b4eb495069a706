"""sktime_har.model_selection."""
