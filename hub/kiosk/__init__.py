"""What the hub-served kiosk screens may read: a door's last few greetings, nothing more."""
