"""The compiler: raw articles in ``<vault>/raw/`` -> source, entity and concept pages, index, log.

Public API::

    compile_vault(vault_root, *, only=None, progress=None, today=None) -> CompileReport
    ingest_files(vault_root, files, progress=None) -> CompileReport
    build_from(vault_root, source_dir, progress=None) -> CompileReport
    update_index(vault_root) -> CompileReport   # index.md after pages changed outside a compile

``Compiler`` is the seam for another compiler (e.g. LLM-backed); ``RuleCompiler`` is the
offline one.
"""

from wiki.compile.build import build_from, compile_vault, ingest_files, update_index
from wiki.compile.compiler import CompiledPages, Compiler, PageOut, RuleCompiler, WikiView
from wiki.compile.types import Article, Block, CompileReport

__all__ = ["Article", "Block", "CompileReport", "CompiledPages", "Compiler", "PageOut",
           "RuleCompiler", "WikiView", "build_from", "compile_vault", "ingest_files",
           "update_index"]
