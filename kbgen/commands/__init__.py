"""The `kbgen` subcommands, one module each; `kbgen.cli` builds the parser from them."""
