"""The job queue (hàng đợi công việc): scheduled and background work that runs once across hub processes."""
