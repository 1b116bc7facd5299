"""idlgen_runtime: the wire codecs and transports that idlgen's generated code imports.

The runtime never imports the compiler; generated packages import only this
package and the standard library.
"""

__version__ = "0.1.0"
