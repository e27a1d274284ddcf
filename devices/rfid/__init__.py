"""RFID readers behind one small interface (`TagReader`): serial UHF readers (Chafon/UHFReader18,
YRM100), USB keyboard-wedge readers (evdev), each with a simulator speaking its real protocol."""

from devices.rfid.base import FrameStats, ReaderError, ReaderGone, TagRead, TagReader

__all__ = ["FrameStats", "ReaderError", "ReaderGone", "TagRead", "TagReader"]
