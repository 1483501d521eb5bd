"""Research Service Workbench: everything deployed to Lambda.

`chalicelib.deps` (the composition root, and through it boto3, PyJWT and every service) is loaded
lazily: the name exists at import, the module runs on first use, i.e. during the first request and
not during the Lambda's cold-start import of app.py (`make bench` prints both times).
"""

import importlib.util
import sys


def _lazy(name: str) -> None:
    """The standard library's lazy import (importlib.util.LazyLoader): executed on first attribute access."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or name in sys.modules:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    # As the package's attribute too: `from .. import deps` then finds it without touching it (the
    # import system's own check of sys.modules reads the module's __spec__, which would load it).
    setattr(sys.modules[__name__], name.rpartition(".")[2], module)


_lazy("chalicelib.deps")
