"""The ``govreport`` command line (argparse: no dependency beyond the standard library).

Exit codes: 0 ok · 1 error-level diagnostics (``check``; ``parse --strict``) · 2 unreadable input ·
3 usage error.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence

from . import __version__
from ._api import explain, load
from .convert import TIDY_COLUMNS, tidy_rows, to_dict
from .diagnostics import Severity
from .errors import GovReportError, InputError, NoParserMatched, ParserNotFound, StrictModeError

EXIT_OK, EXIT_DIAGNOSTICS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3

_EPILOG = """examples:
  govreport parse report.txt                     # JSON in the export contract
  govreport parse report.txt --format csv        # one row per table cell
  govreport check reports/*.txt                  # what does not add up, file:line
  govreport explain report.txt                   # which parser read it, and why

exit codes: 0 ok, 1 error-level diagnostics, 2 unreadable input, 3 usage error
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog="govreport",
        description="Read 政府信息公开工作年度报告 text into typed, checked data.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"govreport {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "parse",
        help="read one report and print it as JSON or CSV",
        epilog="example: govreport parse report.txt --format json > report.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", help="report text file (UTF-8, GBK/GB18030 or UTF-16)")
    p.add_argument("--format", choices=("json", "csv"), default="json", help="output format (default json)")
    p.add_argument("--parser", help="force one parser by name (see 'govreport explain')")
    p.add_argument("--strict", action="store_true", help="exit 1 and print the errors when any rule fails")
    p.add_argument("--indent", type=int, default=None, help="indent JSON by this many spaces")

    c = sub.add_parser(
        "check",
        help="print the diagnostics of one or more reports",
        epilog="example: govreport check 2021/*.txt",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("files", nargs="+", help="report text files")
    c.add_argument("--parser", help="force one parser by name")
    c.add_argument("--all", action="store_true", help="show warnings and info too, not only errors")
    c.add_argument("--lang", choices=("en", "zh"), default="en", help="message language")

    e = sub.add_parser(
        "explain",
        help="show every candidate parser for a file with its scores",
        epilog="example: govreport explain report.txt",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument("file")
    e.add_argument("--parser", help="try only this parser")
    return ap


def _parse(args: argparse.Namespace) -> int:
    report = load(args.file, parser=args.parser)
    if args.format == "json":
        sys.stdout.write(json.dumps(to_dict(report), ensure_ascii=False, indent=args.indent) + "\n")
    else:
        w = csv.DictWriter(sys.stdout, fieldnames=TIDY_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(tidy_rows(report))
    if args.strict and report.errors:
        raise StrictModeError(args.file, report.errors)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    worst = EXIT_OK
    for path in args.files:
        try:
            report = load(path, parser=args.parser)
        except (InputError, NoParserMatched) as e:
            print(f"{path}: error: {e}", file=sys.stderr)
            worst = max(worst, EXIT_UNREADABLE)
            continue
        shown = [d for d in report.diagnostics if args.all or d.severity is Severity.ERROR]
        for d in shown:
            message = d.message_zh if args.lang == "zh" and d.message_zh else d.message
            print(f"{path}:{d.location()}: {d.severity.value}: {d.code}: {message}")
        if report.errors:
            worst = max(worst, EXIT_DIAGNOSTICS)
        if not shown:
            print(f"{path}: ok ({report.organ or '?'} {report.year or '?'}, template {report.template.value})")
    return worst


def _explain(args: argparse.Namespace) -> int:
    print(explain(args.file, parser=args.parser))
    return EXIT_OK


COMMANDS = {"parse": _parse, "check": _check, "explain": _explain}


def main(argv: Sequence[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.command is None:
        ap.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except StrictModeError as e:
        print(str(e), file=sys.stderr)
        return EXIT_DIAGNOSTICS
    except ParserNotFound as e:
        print(f"govreport: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except GovReportError as e:
        print(f"govreport: error: {e}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:  # `govreport parse … | head`
        return EXIT_OK
