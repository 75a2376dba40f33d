# TLS pieces shared by the integration tests that talk to isulad over tcp:// (sourced after
# lib.sh).
#
#   tls_certs DIR SELF_CN CN...  a test CA (DIR/ca.pem), a server certificate for 127.0.0.1
#                                (server-cert.pem, server-key.pem), one CA-signed client
#                                certificate per CN (CN-cert.pem, CN-key.pem) and a self-signed
#                                one with CN SELF_CN (self-cert.pem, self-key.pem); aborts the
#                                file when openssl fails
#   free_port                    a random port of the local range nothing listens on (other
#                                tests run in parallel: a caller retries on a port taken
#                                meanwhile)

_tls_make() {
	local d=$1 self=$2 o="-days 2" cn
	shift 2
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca-key.pem" -out "$d/ca.pem" $o \
		-subj "/CN=isulad test CA" &&
		openssl req -newkey rsa:2048 -nodes -keyout "$d/server-key.pem" \
			-out "$d/server.csr" -subj "/CN=127.0.0.1" &&
		printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$d/srv.ext" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca-key.pem" \
			-CAcreateserial -out "$d/server-cert.pem" $o -extfile "$d/srv.ext" &&
		printf 'extendedKeyUsage=clientAuth\n' >"$d/cl.ext" || return 1
	for cn in "$@"; do
		openssl req -newkey rsa:2048 -nodes -keyout "$d/$cn-key.pem" -out "$d/$cn.csr" \
			-subj "/CN=$cn" &&
			openssl x509 -req -in "$d/$cn.csr" -CA "$d/ca.pem" -CAkey "$d/ca-key.pem" \
				-CAcreateserial -out "$d/$cn-cert.pem" $o -extfile "$d/cl.ext" || return 1
	done
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/self-key.pem" \
		-out "$d/self-cert.pem" $o -subj "/CN=$self"
}

tls_certs() {
	command -v openssl >/dev/null || it_abort "openssl is needed"
	mkdir -p "$1" || it_abort "cannot make $1"
	_tls_make "$@" >"$1/openssl.log" 2>&1 ||
		it_abort "openssl could not make the certificates: $(tail -3 "$1/openssl.log")"
}

free_port() {
	local lo hi p
	read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
	for _ in $(seq 50); do
		p=$((lo + RANDOM % (hi - lo)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
