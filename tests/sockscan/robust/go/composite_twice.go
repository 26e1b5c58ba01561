package twice

import "net"

// A field given twice in a composite literal (a half-edited file): the
// first value was leaked (LeakSanitizer, found by the fuzzer).
func listen() {
	a := net.TCPAddr{IP: net.ParseIP("10.0.0.1"), IP: nil, Port: 1, Port: 7005}
	net.ListenTCP("tcp", &a)
}
