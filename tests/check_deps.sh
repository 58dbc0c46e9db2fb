#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# check_deps.sh: the dependency rules of tester/'s modules, checked.
#
#   check_deps.sh SRCDIR [BUILDDIR]
#
# Each module is a folder tester/<m>/ whose fragment tester/<m>/<m>.am
# declares, in one line "# uses: a b c", the modules it may use ("# uses:"
# alone: none).  This script fails, naming file and line or library and
# symbol, on:
#   1. an #include "x.h" of a header that lives in a module not declared;
#   2. an #include of libpcap, libnet or libnftables outside wire/ (tcp/ and
#      check/ above all: they work on decoded segments only);
#   3. with BUILDDIR: a symbol a module's library (tester/<m>/libtc_<m>.a)
#      leaves undefined that another module defines, unless declared: so a
#      local prototype cannot dodge rule 1;
#   4. tcpconform-agent defining a symbol of any module but agent/ and lib/
#      (it is built alone, from its own sources);
#   5. a cycle among the declared uses themselves.
# A fragment may name, in "# include-exception: x.h (why)" lines, a header
# of another module it may still include while a move is under way; such a
# line is printed on every run, so it is not forgotten.
# Prints "deps: ok (N modules, N includes, N symbols checked)" when clean.
set -eu

src=${1:?usage: check_deps.sh SRCDIR [BUILDDIR]}
build=${2:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tc-deps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bad=0

err() {
	echo "deps: $*" >&2
	bad=1
}

# The modules, and what each may use.
: >"$tmp/uses"
for am in "$src"/tester/*/*.am; do
	m=$(basename "$(dirname "$am")")
	[ "$(basename "$am" .am)" = "$m" ] || continue
	line=$(grep -m1 '^# uses:' "$am" || true)
	[ -n "$line" ] || { err "$am: no '# uses:' line"; continue; }
	echo "$m ${line#\# uses:}" >>"$tmp/uses"
done
mods=$(awk '{print $1}' "$tmp/uses")
allowed() {	# allowed FROM TO
	[ "$1" = "$2" ] && return 0
	awk -v f="$1" -v t="$2" \
	    '$1 == f { for (i = 2; i <= NF; i++) if ($i == t) ok = 1 }
	     END { exit !ok }' "$tmp/uses"
}
uses_of() {
	awk -v f="$1" '$1 == f { $1 = ""; sub(/^ /, ""); print }' "$tmp/uses"
}

# Rule 5: the declared uses form no cycle (tsort reports one).
awk '{ print $1, $1; for (i = 2; i <= NF; i++) print $1, $i }' \
    "$tmp/uses" >"$tmp/edges"
if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/tsort"; then
	err "the declared uses have a cycle: $(tr '\n' ' ' <"$tmp/tsort")"
fi
for m in $mods; do
	for u in $(uses_of "$m"); do
		[ -d "$src/tester/$u" ] || err "tester/$m/$m.am: uses unknown module $u"
	done
done

# Headers a module may include for now, by its own say.
: >"$tmp/exc"
for m in $mods; do
	grep '^# include-exception:' "$src/tester/$m/$m.am" |
	    while IFS= read -r l; do
		l=${l#\# include-exception: }
		echo "$m ${l%% *}" >>"$tmp/exc"
		echo "deps: note: tester/$m/$m.am: $m/ may still include $l"
	done || true
done

# Which module each header belongs to.
: >"$tmp/headers"
for m in $mods; do
	for h in "$src"/tester/"$m"/*.h; do
		[ -e "$h" ] && echo "$(basename "$h") $m" >>"$tmp/headers"
	done
done

# Rules 1 and 2: includes.
ninc=0
for m in $mods; do
	for f in "$src"/tester/"$m"/*.[ch]; do
		[ -e "$f" ] || continue
		rel=tester/$m/$(basename "$f")
		grep -n '^[[:space:]]*#[[:space:]]*include' "$f" >"$tmp/inc" || true
		while IFS= read -r l; do
			ninc=$((ninc + 1))
			n=${l%%:*}
			h=$(echo "$l" | sed -n 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p')
			if [ -n "$h" ]; then
				o=$(awk -v h="$h" '$1 == h { print $2 }' "$tmp/headers")
				[ -n "$o" ] || continue	# config.h, or a system header
				allowed "$m" "$o" ||
				    grep -qx "$m $h" "$tmp/exc" ||
				    err "$rel:$n: $m/ includes $h of $o/ ($m/ may use: $(uses_of "$m"))"
				continue
			fi
			case $l in
			*'<pcap'*|*'<libnet'*|*'<nftables'*)
				[ "$m" = wire ] ||
				    err "$rel:$n: $m/ includes a libpcap/libnet/libnftables header (only wire/ may)"
				;;
			esac
		done <"$tmp/inc"
	done
done

# Rules 3 and 4: symbols of the built libraries.
nsym=0
if [ -n "$build" ]; then
	: >"$tmp/defs"
	for m in $mods; do
		a=$build/tester/$m/libtc_$m.a
		[ -f "$a" ] || { [ "$m" = agent ] || err "$a: not built"; continue; }
		nm -g --defined-only "$a" 2>/dev/null |
		    awk -v m="$m" 'NF == 3 { print $3, m }' >>"$tmp/defs"
	done
	sort -u "$tmp/defs" >"$tmp/defs.s"
	for m in $mods; do
		a=$build/tester/$m/libtc_$m.a
		[ -f "$a" ] || continue
		nm -u "$a" 2>/dev/null | awk '$1 == "U" { print $2 }' |
		    sort -u >"$tmp/undef"
		join "$tmp/undef" "$tmp/defs.s" >"$tmp/uses.$m" || true
		while read -r sym o; do
			nsym=$((nsym + 1))
			allowed "$m" "$o" ||
			    err "tester/$m/libtc_$m.a: $m/ calls $sym of $o/ ($m/ may use: $(uses_of "$m"))"
		done <"$tmp/uses.$m"
	done
	agent=$build/tcpconform-agent
	if [ -x "$agent" ]; then
		nm -g --defined-only "$agent" | awk 'NF == 3 { print $3 }' |
		    sort -u | join - "$tmp/defs.s" |
		    while read -r sym o; do
			case $o in agent|lib) ;;
			*) echo "tcpconform-agent: defines $sym of $o/ (it may hold agent/ and lib/ only)" ;;
			esac
		done >"$tmp/agent"
		if [ -s "$tmp/agent" ]; then
			sed 's/^/deps: /' "$tmp/agent" >&2
			bad=1
		fi
	fi
fi

[ "$bad" -eq 0 ] || exit 1
echo "deps: ok ($(echo "$mods" | wc -w) modules, $ninc includes, $nsym symbols checked)"
