package fmtpercent

import (
	"fmt"
	"net"
)

// Found by fuzzing: a format ending in '%' was read past its end.
func Dial(host string) {
	net.Dial("tcp", fmt.Sprintf("%s:%", host))
	net.Listen("tcp", ":7004")
}
