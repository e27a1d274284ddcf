"""Device registry (sổ thiết bị): which devices exist, their credentials and online state."""
