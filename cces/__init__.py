"""The `cces` command: the composition root that wires protocol, hub, ui, agent and provisioning."""
