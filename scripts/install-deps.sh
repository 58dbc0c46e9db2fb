#!/bin/sh
# Install every Debian package that tcpconform's build, tests, fuzzing,
# network lab and report checks need.  Run as root on Debian 12 or newer.
# Idempotent: packages already present are left as they are.
set -eu

PACKAGES="
	build-essential autoconf automake pkg-config make git
	clang libclang-rt-dev llvm
	libpcap-dev libnet1-dev libcmocka-dev libnftables-dev nftables
	liblwip-dev
	iproute2 iputils-ping ethtool kmod
	tcpdump tshark
	valgrind socat python3 time
	lighttpd openbsd-inetd
	libslirp-dev libglib2.0-dev
	tidy chromium libxml2-utils
	perl python3-jsonschema
"

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: must run as root (it calls apt-get)" >&2
	exit 2
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $PACKAGES
