"""Screenshots of the main pages at desktop width and at 390 px (a phone), for docs/screenshots/.

Runs the real site on a throwaway SQLite database with the demo data, logs in as the demo
operator in headless Chromium, and saves one small PNG per page and width (palette PNG, so the
set stays a few hundred KB). Usage: ``.venv/bin/python bench/screenshots.py [out_dir]``.
"""
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PAGES = [  # (file name, path, wait for)
    ("dashboard", "/", "#activity"),
    ("calendar", "/scheduler/?view=week", "#calendar-grid"),
    ("calendar-day", "/scheduler/?view=day", "#calendar-grid"),  # what a phone opens on
    ("queue", "/scheduler/queue/", "#queue"),
    ("my-bookings", "/scheduler/mine/", "h1"),
    ("assets", "/inventory/", "h1"),
    ("asset", "/inventory/assets/1/", "#asset-page"),
    ("material", "/inventory/materials/1/", "#material-page"),
    ("labels", "/inventory/labels/", ".sheet"),
]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _small_png(raw: bytes, width: int) -> bytes:
    """Shrink desktop shots to three quarters and keep 64 colours: text stays readable and the file small."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    if width > 800:
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.LANCZOS)
    out = io.BytesIO()
    image.quantize(colors=32).save(out, format="PNG", optimize=True)
    return out.getvalue()


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="benchtop-shots-"))
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}", "REDIS_URL": "", "MQTT_URL": "",
           "SITE_URL": f"http://127.0.0.1:{port}", "CELERY_TASK_ALWAYS_EAGER": "true",
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "MEDIA_ROOT": str(workdir / "media")}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([python, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        _shoot(base, out_dir)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _shoot(base: str, out_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    total = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for label, (width, height) in WIDTHS.items():
            context = browser.new_context(base_url=base, viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", "operator")
            page.fill("input[name=password]", os.environ.get("DEMO_PASSWORD", "Benchtop-demo-2026!"))
            page.click("button[type=submit]")
            page.wait_for_url("**/")
            for name, path, ready in PAGES:
                if label == "desktop" and name == "calendar-day":
                    continue
                page.goto(path)
                page.wait_for_selector(ready)
                page.wait_for_timeout(400)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                data = _small_png(page.screenshot(full_page=False), width)
                target = out_dir / f"{name}-{label}.png"
                target.write_bytes(data)
                total += len(data)
                print(f"{target.name:28} {len(data) // 1024:4d} KB  sideways overflow {overflow} px")
            context.close()
        browser.close()
    print(f"total {total // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
