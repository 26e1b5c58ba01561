from .a import *
from .b import *
from star_cycle import *
