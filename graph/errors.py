"""The small family of errors the library raises; the CLI turns them into messages."""


class GraphError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(GraphError):
    """A document or file cannot be read or is not what it claims to be."""


class StoreError(GraphError):
    """The graph database cannot be reached, refuses us, or fails a write."""


class EngineError(StoreError):
    """The bundled database engine cannot be started or stopped."""


class OutputError(GraphError):
    """An output file or folder cannot be written (a file in the way, no permission, a full disk)."""
