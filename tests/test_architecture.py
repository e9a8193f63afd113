import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_domain_core_never_imports_django():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_core_tests_run_without_django():
    """README: tests/core runs without Django (and without this suite's conftest, which is
    Django's). Every core test module is imported, and a few tests run, with Django made
    unimportable and pytest-django off."""
    code = (
        "import sys; sys.modules['django'] = None; import pytest; "
        "sys.exit(pytest.main(['-p', 'no:django', '-p', 'no:cacheprovider', '--noconftest', "
        "'-q', 'tests/core', "
        "'-k', 'identical_documents or numbers_stay_whole or hostile_text or plain_article']))"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\n4 passed, " in result.stdout, result.stdout
