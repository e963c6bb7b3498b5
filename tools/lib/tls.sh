# A local certificate authority and the server certificates it signs, for the
# broker's TLS listener (tools/broker/wms-broker) and wmsd's HTTPS
# (tools/run-demo --tls). Source it; do not run it. Needs openssl.
#
# Each function prints what went wrong on stderr and returns non-zero; the
# caller decides whether that ends the script.

# wms_tls_ca CADIR: makes CADIR/ca.key and CADIR/ca.crt (EC P-256, 825 days)
# unless CADIR/ca.crt already exists, so that clients which trust it keep
# trusting it across runs. The key stays private to the owner; the
# certificate is world-readable (clients running as other users read it).
wms_tls_ca() {
  local dir=$1
  if [[ -f $dir/ca.crt && -f $dir/ca.key ]]; then return 0; fi
  mkdir -p "$dir" || { echo "tls: cannot create $dir" >&2; return 1; }
  chmod 755 "$dir"
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 825 -subj "/CN=WMS local CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null) || { echo "tls: openssl could not make the CA in $dir" >&2; return 1; }
  chmod 644 "$dir/ca.crt"
}

# wms_tls_server_cert CADIR OUTDIR NAME: OUTDIR/NAME.key and OUTDIR/NAME.crt,
# a server certificate for DNS:localhost and IP:127.0.0.1 signed by CADIR's
# CA (made first if missing). Browsers and OpenSSL check the
# subjectAltName, not the CN, so both loopback names are in it.
wms_tls_server_cert() {
  local ca=$1 out=$2 name=$3
  wms_tls_ca "$ca" || return 1
  mkdir -p "$out" || { echo "tls: cannot create $out" >&2; return 1; }
  local ext
  ext=$(mktemp "$out/.ext.XXXXXX") || return 1
  printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "extendedKeyUsage=serverAuth" \
    "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" >"$ext"
  # A random serial rather than -CAcreateserial: two tools signing with one CA
  # at the same time must not share a serial file.
  if ! (umask 077 && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
          -keyout "$out/$name.key" -subj "/CN=localhost" 2>/dev/null |
        openssl x509 -req -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
          -out "$out/$name.crt" -days 825 -extfile "$ext" 2>/dev/null); then
    rm -f "$ext"
    echo "tls: openssl could not make and sign $out/$name.crt with the CA in $ca" >&2
    return 1
  fi
  rm -f "$ext"
  chmod 644 "$out/$name.crt"
}
