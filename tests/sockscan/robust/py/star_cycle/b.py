from .a import *
from .b import *
conn = socket.create_connection(("h", 7006))
