"""Camera sources. For now a video file; V4L2, RTSP/HTTP and GStreamer sources come with the agent."""
