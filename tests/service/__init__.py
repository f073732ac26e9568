"""客服部 tests."""
