"""Commands to devices (lệnh thiết bị): sent over MQTT with an expiry, replies stored."""
