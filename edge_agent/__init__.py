"""The edge agent: runs on a door terminal or room display, turns hardware into events.

Events go to a durable SQLite outbox first and are published over MQTT from there, so the
agent never blocks on, nor loses data to, the network. Entry point: `edge_agent.main.run_agent`.
"""
