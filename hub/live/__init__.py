"""The live feed (bảng tin trực tiếp): committed check-ins and device status changes, pushed to subscribers."""
