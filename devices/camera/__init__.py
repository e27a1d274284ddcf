"""Camera sources: a video file (`video_file`) and live cameras that reconnect (`live`)."""
