"""Galleries per office (thư viện khuôn mặt theo đơn vị): built from enrollment crops, served to devices."""
