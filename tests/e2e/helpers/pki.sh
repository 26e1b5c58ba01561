# shellcheck shell=bash
# Certificates and password hashes for the tests of TLS and authentication
# (openssl, libxcrypt). Source it after lib.sh and set D, the directory
# the keys and certificates go to.

# ca NAME SUBJECT_CN: a self-signed EC CA, $D/NAME.key and .crt
ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$D/$1.key" \
		-out "$D/$1.crt" -days 1 -subj "/CN=$2" 2>/dev/null
}

# cert NAME CA EXT SUBJECT: an EC key and a certificate signed by CA
cert() {
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$D/$1.key" \
		-out "$D/$1.csr" -subj "$4" 2>/dev/null &&
		printf '%b' "$3" > "$D/$1.ext" &&
		openssl x509 -req -in "$D/$1.csr" -CA "$D/$2.crt" -CAkey "$D/$2.key" -CAcreateserial \
			-out "$D/$1.crt" -days 1 -extfile "$D/$1.ext" 2>/dev/null
}

# bcrypt PASSWORD COST: a $2b$ hash with the system's libxcrypt (python3's
# crypt module is going away)
bcrypt() {
	python3 - "$1" "$2" <<'PY'
import ctypes, sys
c = ctypes.CDLL("libcrypt.so.1")
c.crypt_gensalt.restype = c.crypt.restype = ctypes.c_char_p
salt = c.crypt_gensalt(b"$2b$", int(sys.argv[2]), None, 0)
print(c.crypt(sys.argv[1].encode(), salt).decode())
PY
}
