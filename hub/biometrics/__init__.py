"""Biometric enrollment at the hub (đăng ký khuôn mặt): consent, checked photos, sealed face crops."""
