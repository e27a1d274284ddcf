"""`cces documents …`: official documents from the command line, with the machine operator's authority
(system admin, audited as actor 'cli'). Each group of subcommands lives in its own module and is added
here with one line.

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_documents_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    from cces.documents_casefiles_command import add_casefiles_commands
    from cces.documents_edxml_command import add_edxml_commands
    from cces.documents_register_command import add_register_commands

    documents = add("documents", None, "official documents (văn bản đi/đến): edXML exchange, registers, case files")
    documents_sub = documents.add_subparsers(dest="documents_command", required=True, metavar="ACTION")
    add_edxml_commands(add, documents_sub, hub_config)
    add_register_commands(add, documents_sub, hub_config)
    add_casefiles_commands(add, documents_sub, hub_config)
