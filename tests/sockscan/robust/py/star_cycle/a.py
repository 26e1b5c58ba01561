# star imports in a cycle (a <- b <- a, and the package of itself): each
# file is extracted again once, the names followed to a bounded depth
from .b import *
from . import *
import socket
