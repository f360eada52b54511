"""Test speech: sentences spoken by espeak-ng and resampled by sox to 16 kHz mono WAV."""
import os
import shutil
import subprocess

import pytest


def require_speech_tools() -> None:
    """Skip when espeak-ng or sox is missing here; in CI that is a failure instead."""
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        reason = f"needs {' and '.join(missing)} (apt-get install espeak-ng sox) to speak test audio"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def speak(text: str, path, rate: int = 160) -> str:
    """Render ``text`` to a 16 kHz mono WAV at ``path``; returns the path."""
    require_speech_tools()
    raw = f"{path}.raw.wav"
    subprocess.run(["espeak-ng", "-s", str(rate), "-w", raw, text], check=True, capture_output=True)
    subprocess.run(["sox", raw, "-r", "16000", "-c", "1", str(path)], check=True, capture_output=True)
    os.unlink(raw)
    return str(path)
