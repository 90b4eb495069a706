"""sktime_har.nn."""
