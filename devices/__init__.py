"""Hardware behind small interfaces (cameras, RFID readers, displays), each with a simulator.

Imports nothing of ours. Filled by the FaceID (cameras) and assets (RFID) issues.
"""
