package halfdecl

import "net"

type ( A int; B )

type C struct { x, }

func Serve() {
	net.Listen("tcp", ":7002")
}
