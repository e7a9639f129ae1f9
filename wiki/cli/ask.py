"""``wiki ask QUESTION [--json] [--save]``: an answer from the vault's pages, with citations."""

from __future__ import annotations

import argparse
import json
import sys

from wiki.cli.errors import EXIT_USAGE, CliError
from wiki.cli.main import open_vault, print_lint
from wiki.llm.answers import AnswerNotSaved, save_answer
from wiki.llm.ask import ask
from wiki.llm.client import LLMClient, LLMError
from wiki.llm.config import NotConfigured, require_config

EXIT_TRUNCATED = EXIT_USAGE


def cmd_ask(args: argparse.Namespace) -> int:
    question = " ".join(args.question.split())
    if not question:
        raise CliError("the question is empty")
    try:
        config = require_config()
    except NotConfigured as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    try:
        client = LLMClient(config)
    except LLMError as exc:
        raise CliError(str(exc)) from None
    with open_vault(args) as vault:
        if args.save and vault.readonly:
            raise CliError("another Commonplace process is writing this vault: ask without "
                           "--save, or save the answer from the app")
        streaming = not args.json

        def show(piece: str) -> None:
            sys.stdout.write(piece)
            sys.stdout.flush()

        try:
            answer = ask(vault, client, question, on_delta=show if streaming else None)
        except LLMError as exc:
            if streaming:
                sys.stdout.write("\n")
            raise CliError(str(exc)) from None
        saved: str | None = None
        problem = ""
        if answer.truncated:
            problem = (f"the model's answer was cut off (finish_reason: {answer.finish_reason})"
                       + ("; not saved" if args.save else ""))
        elif args.save:
            try:
                written = save_answer(vault.root, answer)
            except AnswerNotSaved as exc:
                problem = str(exc)
            else:
                saved = written[0]
                vault.update_paths(written)
    if args.json:
        print(json.dumps(answer.as_json(saved), ensure_ascii=False, indent=2))
    else:
        print()
        if answer.citations:
            print("\nSources:")
            for c in answer.citations:
                print(f"  [{c.number}] {c.title} — {c.path}")
        elif answer.context is not None and answer.context.passages:
            print("\n(no citations; pages given to the model: "
                  + ", ".join(p.path for p in answer.context.passages) + ")")
        else:
            print("\n(no page of the vault matched the question)")
        if saved:
            print(f"\nsaved as {saved}")
    if problem:
        print(f"wiki: {problem}", file=sys.stderr)
        return EXIT_TRUNCATED
    return 0


def lint_with_model(vault, report, *, as_json: bool) -> int:
    """``wiki lint --llm``: the usual findings, then contradictions between sources."""
    from wiki.llm.contradictions import find_contradictions

    try:
        client = LLMClient(require_config())
    except NotConfigured as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except LLMError as exc:
        raise CliError(str(exc)) from None

    def show(done: int, total: int, page: str) -> None:
        if sys.stderr.isatty():
            print(f"\r[{done + 1}/{total}] {page[:70]:<70}", end="", file=sys.stderr, flush=True)

    found = find_contradictions(vault, [p.path for p in vault.pages()], client, progress=show)
    if sys.stderr.isatty():
        print("\r" + " " * 80 + "\r", end="", file=sys.stderr)
    if as_json:
        print(json.dumps({**report.as_dict(), **found.as_dict()}, ensure_ascii=False, indent=2))
    else:
        print_lint(report)
        for c in found.found:
            print(f"contradiction: {c.page}: [[{c.first}]] vs [[{c.second}]]: {c.explanation}")
        for line in found.not_checked:
            print(f"not checked: {line}")
        print(f"{report.count() + len(found.found)} findings ({len(found.found)} "
              f"contradiction(s) in {found.checked} page(s) checked by the model)")
    if found.stopped:
        print(f"wiki: {found.stopped}", file=sys.stderr)
        return EXIT_USAGE
    return 0
