"""MQTT ingest: device messages in, rows committed exactly once, bad payloads dead-lettered."""
