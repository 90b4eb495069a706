"""sktime_har.inspection."""
