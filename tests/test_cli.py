"""The ``govreport`` command line: help, version, usage errors, ``parse``, ``check``, ``explain``."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

import govreport
from govreport import cli

from .conftest import run_cli as run
from .conftest import seed_files


def main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """In-process: same code path as the console script, without a Python start-up per case."""
    try:
        code = cli.main(list(args))
    except SystemExit as e:  # argparse's --help / --version / usage errors
        code = e.code if isinstance(e.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_help_in_a_real_process() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"govreport {govreport.__version__}"
    proc = run("export", "--help")
    assert proc.returncode == 0
    assert "examples:" in proc.stdout
    assert "--jobs" in proc.stdout
    assert "precedence" in proc.stdout


@pytest.mark.parametrize("command", ["parse", "check", "explain", "export"])
def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = main(capsys, command, "--help")
    assert code == 0
    assert "example" in out
    assert f"govreport {command}" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "usage"),
        (("frobnicate",), "invalid choice"),
        (("export", "x.txt"), "-o/--output"),
        (("export", "x.txt", "-o", "out.xlsx"), "unknown output format"),
        (("export", "x.txt", "-o", "out.jsonl", "--jobs", "0"), "at least 1"),
        (("export", "x.txt", "-o", "out.jsonl", "--parser", "nonesuch"), "nonesuch"),
        (("parse", "x.txt", "--format", "xml"), "invalid choice"),
    ],
)
def test_usage_errors_exit_3_on_stderr(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = main(capsys, *args)
    assert code == 3
    assert out == ""
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_parse_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    seed = seed_files()[0]
    code, out, _ = main(capsys, "parse", str(seed))
    assert code == 0
    assert json.loads(out) == govreport.to_dict(govreport.load(seed))
    code, out, _ = main(capsys, "parse", str(seed), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(list(govreport.tidy_rows(govreport.load(seed))))


def test_check_prints_file_line_severity_rule(capsys: pytest.CaptureFixture[str]) -> None:
    reports = {p: govreport.load(p) for p in seed_files()}
    with_errors = [p for p, r in reports.items() if r.errors]
    clean = [p for p, r in reports.items() if not r.errors]
    assert with_errors, "the seeds include a report whose numbers do not add up"
    code, out, _ = main(capsys, "check", str(with_errors[0]))
    assert code == 1
    first = out.splitlines()[0]
    m = re.fullmatch(r"(.+?):(\d+)(?::\d+)?: (error|warning|info): ([A-Z0-9_.]+): (.+)", first)
    assert m, first
    path, _line, severity, rule, _message = m.groups()
    assert path == str(with_errors[0])
    assert severity == "error"
    assert rule in {d.code for d in reports[with_errors[0]].errors}
    if clean:
        code, out, _ = main(capsys, "check", str(clean[0]))
        assert code == 0
        assert out.startswith(f"{clean[0]}: ok")


def test_check_unreadable_is_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = main(capsys, "check", str(seed_files()[0]), str(empty), str(tmp_path / "missing.txt"))
    assert code == 2
    assert f"{empty}: error:" in err
    assert "missing.txt" in err


def test_explain_names_the_chosen_parser(capsys: pytest.CaptureFixture[str]) -> None:
    seed = seed_files()[0]
    code, out, _ = main(capsys, "explain", str(seed))
    assert code == 0
    assert govreport.load(seed).source.parser in out.splitlines()[2]


def test_export_in_a_real_process_to_stdout_free_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "seeds.jsonl"
    proc = run("export", *map(str, seed_files()), "-o", str(out), "-j", "2")
    assert proc.stdout == ""  # the data goes to the file, the summary to stderr
    assert proc.returncode == (1 if any(govreport.load(p).errors for p in seed_files()) else 0)
    assert "by layout:" in proc.stderr
    assert "\r" not in proc.stderr  # no progress bar when stderr is not a terminal
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(seed_files())


def test_check_compares_consecutive_years_of_one_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = seed_files()[0].read_text(encoding="utf-8")  # 鼓楼区人民政府 2021: 结转下年度 0 in every column
    later = (
        text.replace("2021年", "2022年")
        .replace("二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1", "二、上年结转政府信息公开申请数量 3 0 0 0 0 0 3")
        .replace("四、结转下年度继续办理 0 0 0 0 0 0 0", "四、结转下年度继续办理 2 0 0 0 0 0 2")
    )
    a, b = tmp_path / "2021.txt", tmp_path / "2022.txt"
    a.write_text(text, encoding="utf-8")
    b.write_text(later, encoding="utf-8")
    code, out, _ = main(capsys, "check", str(a), str(b))
    assert code == 0  # the 2022 report adds up on its own (22 + 3 = 23 + 2)
    assert "cross-report warning(s)" in out
    code, out, _ = main(capsys, "check", "--all", str(a), str(b))
    carry = [line for line in out.splitlines() if ": X.CARRY:" in line]
    assert len(carry) == 2  # natural_person and total: 3 carried over, but 2021 carried 0 forward
    assert all("2022" in line and line.startswith("series: warning") for line in carry)
