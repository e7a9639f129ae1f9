"""`wiki lint`: what a gardener of the vault wants to fix."""

from __future__ import annotations

from dataclasses import dataclass, field

from wiki.model import FLAG_EMPTY
from wiki.vault import Vault

SPECIAL_PAGES = {"index.md", "log.md"}


@dataclass
class LintReport:
    broken_links: list[dict] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    duplicate_names: list[dict] = field(default_factory=list)
    empty_pages: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(v) for v in (self.broken_links, self.orphans, self.duplicate_names,
                                    self.empty_pages, self.problems))

    def as_dict(self) -> dict:
        return {"broken_links": self.broken_links, "orphans": self.orphans,
                "duplicate_names": self.duplicate_names, "empty_pages": self.empty_pages,
                "problems": self.problems}


def lint(vault: Vault) -> LintReport:
    report = LintReport()
    for src, link in vault.broken_links():
        report.broken_links.append({"path": src, "target": link.target, "line": link.line})
    report.orphans = [p for p in vault.orphans() if p not in SPECIAL_PAGES]
    with vault.graph.lock:
        duplicates = vault.graph.resolver.duplicate_names()
    for name, paths in sorted(duplicates.items()):
        report.duplicate_names.append({"name": name, "paths": paths})
    for info in vault.pages():
        if FLAG_EMPTY in info.flags:
            report.empty_pages.append(info.path)
    for path, problem in sorted(vault.problems().items()):
        if path not in report.empty_pages:
            report.problems.append({"path": path, "problem": problem})
    return report
