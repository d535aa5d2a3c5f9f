"""The kiosk's own devices: receipt printer, speech, camera; each optional."""

from __future__ import annotations

import cv2
import numpy

from kiosk.camera import SAME_CODE_PAUSE, CameraReader
from kiosk.printer import print_receipt, ticket_receipt
from kiosk.qr import qr_matrix
from kiosk.speech import Speaker

TICKET = {
    "number": "A012",
    "service": "konto",
    "service_name": "Kontoservice",
    "position": 3,
    "estimated_wait_minutes": 12,
}


def test_the_receipt_carries_the_status_link(tmp_path):
    text = ticket_receipt({**TICKET, "status_url": "https://bank.example/t/abc/"}, "Mitte", "en")
    assert "A012" in text
    assert "Follow your turn on your phone:\nhttps://bank.example/t/abc/" in text


def test_without_a_status_link_the_receipt_has_none(tmp_path):
    assert "phone" not in ticket_receipt(TICKET, "Mitte", "en")


def test_a_receipt_is_written_to_the_printer(tmp_path):
    printer = tmp_path / "lp0"
    print_receipt(str(printer), ticket_receipt(TICKET, "Mitte", "de"))
    assert "Ihre Nummer" in printer.read_text()


def test_the_speaker_reads_in_the_visits_language(fake_espeak):
    program, said = fake_espeak
    speaker = Speaker(str(program))
    speaker.say("Willkommen!", "de")
    speaker._process.wait(timeout=10)
    assert said.read_text() == "-v de -s 150 -- Willkommen!\n"


def test_without_espeak_the_kiosk_stays_silent():
    speaker = Speaker("no-such-speech-program")
    assert not speaker.available
    speaker.say("Willkommen!", "de")  # nothing happens, nothing breaks


def qr_frame(text: str) -> numpy.ndarray:
    """A camera picture of a QR code: black modules on white, eight pixels each."""
    modules = numpy.array(qr_matrix(text), dtype=numpy.uint8)
    image = numpy.where(modules, 0, 255).astype(numpy.uint8)
    image = numpy.kron(image, numpy.ones((8, 8), dtype=numpy.uint8))
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)


class FakeCamera:
    def __init__(self, frames: list, opened: bool = True) -> None:
        self.frames, self.opened, self.released = list(frames), opened, False

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        return self.opened

    def read(self):
        return (True, self.frames.pop(0)) if self.frames else (False, None)

    def release(self) -> None:
        self.released = True


def test_a_code_held_before_the_camera_is_read_once(tmp_path):
    codes = []
    camera = FakeCamera([qr_frame("ABCD2345")] * 3)
    reader = CameraReader(0, codes.append, open_camera=lambda index: camera)
    assert reader.start()
    reader._thread.join(timeout=30)
    assert codes == ["ABCD2345"]
    assert camera.released


def test_the_same_code_counts_again_after_a_pause():
    codes = []
    now = [0.0]
    reader = CameraReader(0, codes.append, clock=lambda: now[0])
    reader.seen("ABCD2345")
    now[0] += SAME_CODE_PAUSE
    reader.seen("ABCD2345")
    assert codes == ["ABCD2345", "ABCD2345"]


def test_without_a_camera_the_kiosk_goes_on_without_it():
    camera = FakeCamera([], opened=False)
    reader = CameraReader(0, print, open_camera=lambda index: camera)
    assert not reader.start()
    assert camera.released


def test_a_camera_index_that_does_not_exist_is_no_camera():
    assert not CameraReader(97, print).start()
