"""The one intermediate representation shared by every front-end and back-end.

:mod:`idlgen.ir.core` is the spec: every node, with the source constructs of
each language it stands for. What only one language knows is in its own
module of annotations: :mod:`.xdr`, :mod:`.omgidl`, :mod:`.soap`, :mod:`.c`
(``ir.xdr.RpcNumber``). :mod:`.serialize` writes the checked IR as JSON.
"""

from idlgen.ir import c as c
from idlgen.ir import omgidl as omgidl
from idlgen.ir import soap as soap
from idlgen.ir import xdr as xdr
from idlgen.ir.core import *  # noqa: F403  (the nodes, as ir.Struct, ir.Named, ...)
