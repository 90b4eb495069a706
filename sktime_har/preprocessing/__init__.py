"""sktime_har.preprocessing."""
