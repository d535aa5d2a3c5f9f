"""An optional camera QR reader (OpenCV), for kiosks without a scanner.

Frames are read and decoded on a thread of their own; a code is handed to the app once
(the same code again only after a pause, so a phone held still does not check in ten
times). Without OpenCV or without a camera the kiosk goes on with the scanner and the
keypad: ``CameraReader.start`` says whether it runs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)
SAME_CODE_PAUSE = 5.0  # seconds before the same code counts again


class CameraReader:
    def __init__(
        self,
        index: int,
        on_code: Callable[[str], None],
        *,
        open_camera: Callable | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.index = index
        self.on_code = on_code  # called on the reader's thread: hand it to the GUI's clock
        self._open = open_camera
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last: tuple[str, float] = ("", 0.0)

    def start(self) -> bool:
        try:
            import cv2
        except ImportError:
            logger.warning("no camera reader: OpenCV is not installed")
            return False
        capture = (self._open or cv2.VideoCapture)(self.index)
        if not capture.isOpened():
            logger.warning("no camera reader: camera %s cannot be opened", self.index)
            capture.release()
            return False
        detector = cv2.QRCodeDetector()
        self._thread = threading.Thread(
            target=self._read, args=(capture, detector), name="kiosk-camera", daemon=True
        )
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _read(self, capture, detector) -> None:
        try:
            while not self._stop.is_set():
                ok, frame = capture.read()
                if not ok:
                    logger.warning("camera %s stopped giving pictures", self.index)
                    return
                text = detector.detectAndDecode(frame)[0]
                if text:
                    self.seen(text)
        finally:
            capture.release()

    def seen(self, text: str) -> None:
        now = self.clock()
        last_text, last_time = self._last
        if text == last_text and now - last_time < SAME_CODE_PAUSE:
            return
        self._last = (text, now)
        self.on_code(text)
