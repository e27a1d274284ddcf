"""Reports (báo cáo) and the leaders' dashboard: attendance over a unit and a period, devices, exports."""
