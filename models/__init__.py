"""Face model packs: manifests, install/verify/prepare, ONNX sessions, matching.

Imports nothing of ours. Filled by the FaceID issue.
"""
