"""The ``govreport`` command line (argparse: no dependency beyond the standard library).

Exit codes: 0 ok · 1 error-level diagnostics (``check``; ``parse --strict``; ``export``) · 2 unreadable
input · 3 usage error · 4 the output cannot be written (``export``, ``report``; found before any input
is read) · 130 interrupted. When several apply, the largest wins: an export in which one file failed
exits 2 even if other reports had error diagnostics.

``import govreport`` never imports this module; batch export (:mod:`govreport.export.batch`) and its sinks
are imported only when the ``export`` command runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from ._api import explain, load
from .diagnostics import Severity
from .errors import (
    ClusterError,
    GovReportError,
    InputError,
    NoParserMatched,
    OutputError,
    ParserNotFound,
    StrictModeError,
)
from .export.convert import TIDY_COLUMNS, tidy_rows, to_dict
from .model import Report

if TYPE_CHECKING:
    from .export.batch import Input, Summary

EXIT_OK, EXIT_DIAGNOSTICS, EXIT_UNREADABLE, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130

_EPILOG = """examples:
  govreport parse report.txt                     # JSON in the export contract
  govreport parse report.txt --format csv        # one row per table cell
  govreport check reports/*.txt                  # what does not add up, file:line
  govreport explain report.txt                   # which parser read it, and why
  govreport export reports/ -o reports.sqlite    # a whole folder into one SQLite file
  govreport report reports/ -o site/             # an HTML page per report and an index, for a browser

exit codes: 0 ok, 1 error-level diagnostics, 2 unreadable input, 3 usage error,
  4 output cannot be written, 130 interrupted
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
    c.add_argument("--html", metavar="OUT", help="also write the reports as one HTML page (the form, cells marked)")

    e = sub.add_parser(
        "explain",
        help="show every candidate parser for a file with its scores",
        epilog="example: govreport explain report.txt",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument("file")
    e.add_argument("--parser", help="try only this parser")

    x = sub.add_parser(
        "export",
        help="read many reports in parallel into one .jsonl, .csv, .sqlite or .parquet file",
        description=(
            "Read every report under PATH (files, folders searched recursively, or '-' for a list of "
            "paths on standard input, one per line) and write them all to OUT, whose extension picks "
            "the format. In a folder, a file is read when its content can be a report (text, web page, "
            "Word or PDF); the others are listed as skipped. Files that cannot be read are listed at "
            "the end and never stop the batch."
        ),
        epilog=_EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    x.add_argument("paths", nargs="+", metavar="PATH", help="report file, folder, or '-' to read paths from stdin")
    x.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .jsonl .csv .sqlite .parquet")
    x.add_argument(
        "--glob",
        action="append",
        metavar="PATTERN",
        help="file pattern inside folders, repeatable (default: every file; content decides)",
    )
    x.add_argument(
        "--jobs", "-j", type=_positive, default=None, metavar="N", help="worker processes (default: all CPUs)"
    )
    x.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")
    x.add_argument("--bom", action="store_true", help="CSV: write UTF-8 with a byte-order mark, for Excel")
    x.add_argument("--parser", help="force one parser by name for every file")
    x.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: worker processes on this machine (default); dask: a Dask cluster, OUT a folder of"
        " Parquet datasets (needs: pip install 'govreport[dask]')",
    )
    x.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler to use (tcp://host:8786); default a LocalCluster of"
        " --jobs process workers on this machine",
    )
    x.add_argument(
        "--worker-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="with --engine dask: stop (exit 2, naming the files not read) once the cluster has had no worker"
        " this long (default 60)",
    )

    v = sub.add_parser(
        "report",
        help="write an HTML page per report and an index page, to open in a browser",
        description=(
            "Read every report under PATH and write DIR/index.html (one line per report: organ, year, "
            "template, status, error count, link) and one page per report: its tables as the official "
            "form prints them, the cells that do not add up marked, the suggested value beside them. "
            "The pages are self-contained (no JavaScript, nothing fetched)."
        ),
        epilog="example: govreport report reports/ -o site/ && xdg-open site/index.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("paths", nargs="+", metavar="PATH", help="report file or folder (searched recursively)")
    v.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write the pages into")
    v.add_argument(
        "--glob", action="append", metavar="PATTERN", help="file pattern inside folders (default *.txt, *.md)"
    )
    v.add_argument("--parser", help="force one parser by name for every file")
    v.add_argument("--lang", choices=("en", "zh"), default="en", help="message language")
    return ap


_EXPORT_EPILOG = """examples:
  govreport export reports/ -o reports.sqlite              # every report under reports/, any format
  govreport export 2021/ 2022/ -o all.jsonl --jobs 4       # one JSON object per line
  govreport export reports/ -o cells.csv --bom             # long form, opens cleanly in Excel
  govreport export reports/ -o cells.parquet               # needs: pip install 'govreport[parquet]'
  find . -name '*.txt' | govreport export - -o out.sqlite  # paths from standard input
  govreport export reports/ -o out/ --engine dask          # out/cells/, out/reports/ by year, province
  govreport export s3://bucket/reports/ -o s3://bucket/out/ --engine dask --scheduler tcp://host:8786

Re-exporting into the same .sqlite file updates reports (keyed by content hash) instead of adding
them twice; every file's path is kept (table files), duplicates included. Progress is shown on a
terminal only; the summary goes to stderr.

exit codes: 0 ok, 1 some report has error-level diagnostics, 2 some file could not be read (takes
precedence over 1), 3 usage error, 4 the output cannot be written (checked before any input is
read), 130 interrupted (the output holds every report the summary says it saved, each whole)
"""


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


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
    from .checks.series import check_series

    worst = EXIT_OK
    loaded: dict[str, Report] = {}
    unreadable: dict[str, str] = {}
    for path in args.files:
        try:
            report = load(path, parser=args.parser)
        except (InputError, NoParserMatched) as e:
            print(f"{path}: error: {e}", file=sys.stderr)
            worst = max(worst, EXIT_UNREADABLE)
            unreadable[path] = str(e)
            continue
        loaded[path] = report
        shown = [d for d in report.diagnostics if args.all or d.severity is Severity.ERROR]
        for d in shown:
            message = d.message_zh if args.lang == "zh" and d.message_zh else d.message
            # a text file's line:column, as editors read it; a document's table, row, column (page)
            where = f"{path} [{d.location()}]" if d.origin is not None else f"{path}:{d.location()}"
            print(f"{where}: {d.severity.value}: {d.code}: {message}")
        if report.errors:
            worst = max(worst, EXIT_DIAGNOSTICS)
        if not shown:
            print(f"{path}: ok ({report.organ or '?'} {report.year or '?'}, template {report.template.value})")
    # several years of one body: 上年结转 must equal last year's 结转下年度 (warnings, see docs/rules.md)
    series = check_series(loaded.values())
    for d in series if args.all else ():
        message = d.message_zh if args.lang == "zh" and d.message_zh else d.message
        print(f"series: {d.severity.value}: {d.code}: {message}")
    if series and not args.all:
        print(f"{len(series)} cross-report warning(s) across these files; --all shows them")
    if args.html:
        from .export import view

        results = [view.PageResult(p, loaded.get(p), unreadable.get(p)) for p in args.files]
        if not _write_pages({Path(args.html): view.report_page(results, lang=args.lang)}):
            return EXIT_UNREADABLE
    return worst


def _report(args: argparse.Namespace) -> int:
    from .export import batch, view
    from .registry import get_parser

    if args.parser is not None:
        get_parser(args.parser)  # a misspelt name is a usage error, not every file failed
    paths = []
    for item in batch.collect_inputs(args.paths, tuple(args.glob or batch.DEFAULT_GLOBS)):
        why = _why_not_a_report(item)
        if why is None:
            paths.append(item.path)
        else:  # said, so that a file left out of the site is never a mystery
            print(f"{item.path}: skipped (not a report): {why}", file=sys.stderr)
    if not paths:
        print("govreport report: error: no report files found in " + " ".join(args.paths), file=sys.stderr)
        return EXIT_UNREADABLE
    results = []
    for path in paths:
        try:
            results.append(view.PageResult(path, load(path, parser=args.parser)))
        except (InputError, NoParserMatched) as e:
            print(f"{path}: error: {e}", file=sys.stderr)
            results.append(view.PageResult(path, error=str(e)))
    out = Path(args.output)
    pages = view.site_pages(results, lang=args.lang)
    if not _write_pages({out / name: page for name, page in pages.items()}):
        return EXIT_UNREADABLE
    failed = sum(1 for r in results if r.report is None)
    with_errors = sum(1 for r in results if r.report is not None and r.report.errors)
    print(
        f"wrote {out / 'index.html'} and {len(pages) - 1} report page(s): "
        f"{with_errors} with error diagnostics, {failed} unreadable",
        file=sys.stderr,
    )
    return EXIT_UNREADABLE if failed else EXIT_DIAGNOSTICS if with_errors else EXIT_OK


def _why_not_a_report(item: Input) -> str | None:
    """Why a file found in a folder cannot be a report (by its content), or ``None``: read it.

    A file named on the command line is always read (a failure then says what is wrong with it).
    """
    from .sources.sniff import not_a_report

    if not item.found:
        return None
    try:
        with open(item.path, "rb") as f:
            return not_a_report(f.read())
    except OSError:
        return None  # reading it will say what is wrong


def _write_pages(pages: dict[Path, str]) -> bool:
    """Write each page (UTF-8), making its folder; say which one failed and why."""
    for path, page in pages.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page, encoding="utf-8")
        except OSError as e:
            print(f"govreport: error: cannot write {path}: {e.strerror or e}", file=sys.stderr)
            return False
    return True


def _explain(args: argparse.Namespace) -> int:
    print(explain(args.file, parser=args.parser))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from .export import batch, sinks
    from .registry import get_parser

    if args.engine == "dask":
        return _export_dask(args)
    for given, flag in ((args.scheduler, "--scheduler"), (args.worker_timeout, "--worker-timeout")):
        if given is not None:
            print(f"govreport export: error: {flag} needs --engine dask", file=sys.stderr)
            return EXIT_USAGE
    out = Path(args.output)
    if sinks.format_for(out) is None:
        known = ", ".join(sorted(sinks.FORMATS))
        print(
            f"govreport export: error: unknown output format {out.suffix or out.name!r}; use {known}", file=sys.stderr
        )
        return EXIT_USAGE
    if args.parser is not None:
        get_parser(args.parser)  # a misspelt name is a usage error, not 2,000 failed files
    existed = out.exists()
    try:
        # the output first: a bad one is said before a single input is read
        sink = sinks.open_sink(out, bom=args.bom)
    except ImportError as e:
        print(f"govreport export: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as e:
        print(f"govreport export: error: {e}", file=sys.stderr)
        return EXIT_OUTPUT
    try:
        inputs = batch.collect_inputs(args.paths, tuple(args.glob or batch.DEFAULT_GLOBS), exclude=[out])
    except BaseException:
        sink.close()
        raise
    if not inputs:
        sink.close()
        if not existed:
            out.unlink(missing_ok=True)
        print("govreport export: error: no files found in " + " ".join(args.paths), file=sys.stderr)
        return EXIT_UNREADABLE
    show = not args.quiet and sys.stderr.isatty()
    progress = batch.Progress(len(inputs), sys.stderr, enabled=show)
    jobs = args.jobs or batch.default_jobs()
    name = sinks.display_path(str(out))
    try:
        summary = batch.run(inputs, sink, parser=args.parser, jobs=jobs, progress=progress, output=name)
    except (OSError, sqlite3.Error) as e:  # the disk filled up, the folder went away
        print(f"govreport export: error: cannot write {name}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return EXIT_OUTPUT
    return _finish(summary, quiet=args.quiet)


def _export_dask(args: argparse.Namespace) -> int:
    """``export --engine dask``: the job of :func:`govreport.dask.to_parquet`, with the local export's output."""
    import logging

    from . import dask as gdask
    from .export import batch, sinks
    from .registry import get_parser

    out = str(args.output)
    if sinks.format_for(out) is not None:
        print(
            f"govreport export: error: --engine dask writes Parquet datasets into a folder, not {out!r};"
            " give a folder or URL (-o out/)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        gdask.require()
    except ImportError as e:
        print(f"govreport export: error: --engine dask: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.parser is not None:
        get_parser(args.parser)
    globs = tuple(args.glob or batch.DEFAULT_GLOBS)
    local = [a for a in args.paths if "://" not in a]
    urls = [a for a in args.paths if "://" in a]
    # local paths expand as the local engine expands them ('-' included); URLs through fsspec
    paths = batch.collect_paths(local, globs) + (gdask.list_paths(urls, globs=globs) if urls else [])
    if not paths:
        print("govreport export: error: no report files found in " + " ".join(args.paths), file=sys.stderr)
        return EXIT_UNREADABLE
    from distributed import Client

    # the job reports a dead worker's file itself; the scheduler's own log lines would only repeat it
    for name in ("distributed.scheduler", "distributed.client", "distributed.nanny", "distributed.core"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    cluster = None
    if args.scheduler is None:
        cluster = gdask.local_cluster(args.jobs or batch.default_jobs())
        client = Client(cluster)
    else:
        try:
            client = Client(args.scheduler, timeout="30s")
        except OSError as e:
            print(f"govreport export: error: cannot reach the scheduler {args.scheduler}: {e}", file=sys.stderr)
            return EXIT_UNREADABLE
    show = not args.quiet and sys.stderr.isatty()
    progress = batch.Progress(len(paths), sys.stderr, enabled=show)
    try:
        timeout = gdask.WORKER_TIMEOUT if args.worker_timeout is None else args.worker_timeout
        summary = gdask.to_parquet(
            paths, out, parser=args.parser, client=client, globs=globs, progress=progress, worker_timeout=timeout
        )
    except ClusterError as e:
        # what was read is written: say so, then why the rest was not, and name those files
        if e.summary is not None:
            _finish(e.summary, quiet=args.quiet)
        print(f"govreport export: error: {e}", file=sys.stderr)
        for path in e.not_read[:20]:
            print(f"{path}: not read", file=sys.stderr)
        if len(e.not_read) > 20:
            print(f"… and {len(e.not_read) - 20:,} more not read", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return _finish(summary, quiet=args.quiet)


def _finish(summary: Summary, *, quiet: bool) -> int:
    """Say how an export went (local or Dask) and give its exit code."""
    if not quiet or summary.interrupted:
        # interrupted: one line, even when quiet, saying what the file holds
        print(summary.render(), file=sys.stderr)
    elif summary.failures:
        # even quiet, a failed file is named: exit 2 alone would not say which
        for path, reason in summary.failures:
            print(f"{path}: error: {reason}", file=sys.stderr)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return summary.exit_code()


COMMANDS = {"parse": _parse, "check": _check, "explain": _explain, "export": _export, "report": _report}


def main(argv: Sequence[str] | None = None) -> int:
    ap = build_parser()
    for stream in (sys.stdout, sys.stderr):
        # a file name that is not UTF-8 (surrogate escapes) prints as \\udcXX, never an error
        reconfigure = getattr(stream, "reconfigure", None)
        if callable(reconfigure):
            reconfigure(errors="backslashreplace")
    args = ap.parse_args(argv)
    if args.command is None:
        ap.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("govreport: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OutputError as e:
        print(f"govreport: error: {e}", file=sys.stderr)
        return EXIT_OUTPUT
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
