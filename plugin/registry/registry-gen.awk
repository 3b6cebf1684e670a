# SPDX-License-Identifier: GPL-3.0-or-later
# registry-gen.awk: IANA service-names-port-numbers.csv -> plugin/registry/registry_data.c
#
#   LC_ALL=C awk -f plugin/registry/registry-gen.awk service-names-port-numbers.csv > plugin/registry/registry_data.c
#
# POSIX awk (tested with mawk and gawk). The output depends only on the CSV's
# bytes, so a regenerated file diffs cleanly. The CSV rules below are the same
# as registry_parse_csv() in plugin/registry/registry_csv.c, written twice on purpose:
# the unit tests compare both on every port, which catches a mistake in either.
# struct reg_row, which the output fills, is in include/registry_data.h.
#
# CSV: RFC 4180 quoting, LF or CRLF line ends, quoted fields may span lines.
# First record is the header; its first four names are checked, the date
# columns are found by name. Blank lines are skipped, rows without a port are
# skipped (service names registered for DNS-SD only). Malformed input stops
# the generator with "FILE:LINE: reason" on stderr and exit status 1, with the
# same messages as the C reader (which also rejects NUL bytes; awk cannot see
# them portably).
#
# Status of a row (enum port_class):
#   no service name: description starting "Reserved" or "any private" (ports
#     set aside for private use) -> reserved, anything else -> unassigned;
#   with a service name: a description that is exactly "Unassigned",
#     "De-registered" or "Removed" -> unassigned, exactly "Reserved" -> reserved
#     (IANA sometimes keeps the name of a de-registered port), else assigned.
# Names and descriptions: control characters become spaces, runs of spaces
# collapse, ends are trimmed; a description over 60 bytes is cut at the last
# space between bytes 30 and 57 (else at 57, never inside a UTF-8 sequence)
# and gets "...". Consecutive rows equal but for the protocol are merged.
#
# The lookup index is computed here too, so that the plugin builds nothing at
# run time: per protocol, the spans of ports that resolve to the same row
# (assigned beats reserved beats unassigned, among equals the first row in
# file order), and a directory of the span holding each multiple of 256. A
# lookup is a jump through the directory and a binary search of at most 9
# steps inside one bucket. plugin/registry.c builds the same for a CSV loaded
# at run time; the unit tests compare both on every port.

BEGIN {
	MAXLINE = 65536
	MAXDESC = 60
	MAXROWS = 65535
	if (length("\303\251") != 2)
		fatal("", "run with LC_ALL=C (byte semantics needed)")
	for (i = 1; i < 256; i++)
		ord[sprintf("%c", i)] = i
	ctrl = "[" sprintf("%c", 1) "-" sprintf("%c", 31) sprintf("%c", 127) "]"
	pbit["tcp"] = 1; pbit["udp"] = 2; pbit["sctp"] = 4; pbit["dccp"] = 8
	pstr[0] = "tcp"; pstr[1] = "udp"; pstr[2] = "sctp"; pstr[3] = "dccp"
	pname[1] = "P_TCP"; pname[2] = "P_UDP"; pname[4] = "P_SCTP"; pname[8] = "P_DCCP"
	clsname["A"] = "CLASS_ASSIGNED"
	clsname["U"] = "CLASS_UNASSIGNED"
	clsname["R"] = "CLASS_RESERVED"
	rank["A"] = 3; rank["R"] = 2; rank["U"] = 1
	named_status["unassigned"] = "U"
	named_status["de-registered"] = "U"
	named_status["removed"] = "U"
	named_status["reserved"] = "R"
	inq = 0; nf = 0; cur = ""; have_header = 0
	nrows = 0; npool = 1; poolsize = 1; snapshot = ""
}

{
	line = $0
	sub(/\r$/, "", line)
	if (length(line) > MAXLINE)
		fatal(NR, "line longer than 64 KiB")
	if (!inq) {
		recline = NR
		nf = 0
		cur = ""
	}
	if (feed(line))
		record()
}

END {
	if (failed)
		exit 1
	if (inq)
		fatal(recline, "unterminated quoted field")
	if (!have_header)
		fatal("", "empty file, no header")
	emit()
}

function fatal(where, why) {
	if (FILENAME == "")
		printf "registry-gen.awk: %s\n", why > "/dev/stderr"
	else if (where != "")
		printf "%s:%s: %s\n", FILENAME, where, why > "/dev/stderr"
	else
		printf "%s: %s\n", FILENAME, why > "/dev/stderr"
	failed = 1
	exit 1
}

# Parses one physical line, continuing a quoted field if one is open.
# Returns 1 when the record is complete, 0 when a quoted field goes on.
function feed(s,    pos, n, q, c, piece) {
	pos = 1
	n = length(s)
	for (;;) {
		if (inq) {
			q = index(substr(s, pos), "\"")
			if (q == 0) {
				cur = cur substr(s, pos) "\n"
				return 0
			}
			cur = cur substr(s, pos, q - 1)
			pos += q
			c = substr(s, pos, 1)
			if (c == "\"") {
				cur = cur "\""
				pos++
				continue
			}
			inq = 0
			field[++nf] = cur
			cur = ""
			if (pos > n)
				return 1
			if (c != ",")
				fatal(NR, "character after closing quote")
			pos++
			continue
		}
		if (substr(s, pos, 1) == "\"") {
			inq = 1
			pos++
			continue
		}
		c = index(substr(s, pos), ",")
		piece = c ? substr(s, pos, c - 1) : substr(s, pos)
		if (index(piece, "\""))
			fatal(NR, "quote inside an unquoted field")
		field[++nf] = piece
		if (c == 0)
			return 1
		pos += c
	}
}

function record() {
	if (!have_header) {
		header()
		return
	}
	if (nf == 1 && field[1] == "")
		return
	if (nf != hdr_nf)
		fatal(recline, nf " fields, expected " hdr_nf)
	see_date(regcol)
	see_date(modcol)
	if (field[2] == "")
		return
	parse_port(field[2])
	add_row(field[1], field[3], field[4])
}

function header(    i) {
	if (nf < 4 || field[1] != "Service Name" || field[2] != "Port Number" ||
	    field[3] != "Transport Protocol" || field[4] != "Description")
		fatal(recline, "not an IANA service-names-port-numbers header")
	have_header = 1
	hdr_nf = nf
	regcol = modcol = 0
	for (i = 1; i <= nf; i++) {
		if (field[i] == "Registration Date")
			regcol = i
		else if (field[i] == "Modification Date")
			modcol = i
	}
}

function see_date(col,    d) {
	if (!col)
		return
	d = field[col]
	if (d ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ && d > snapshot)
		snapshot = d
}

function port_value(s) {
	if (s !~ /^[0-9]+$/ || length(s) > 5 || s + 0 > 65535)
		fatal(recline, "bad port number")
	return s + 0
}

# Sets plo, phi.
function parse_port(s,    dash) {
	dash = index(s, "-")
	if (dash == 0) {
		plo = phi = port_value(s)
		return
	}
	plo = port_value(substr(s, 1, dash - 1))
	phi = port_value(substr(s, dash + 1))
	if (plo > phi)
		fatal(recline, "bad port range")
}

function clean(s) {
	gsub(ctrl, " ", s)
	gsub(/  +/, " ", s)
	sub(/^ /, "", s)
	sub(/ $/, "", s)
	return s
}

function is_cont(c) {
	return ord[c] >= 128 && ord[c] < 192
}

function shorten(s,    i, len) {
	if (length(s) <= MAXDESC)
		return s
	# i is a 0-based byte offset, as in the C version
	for (i = MAXDESC - 3; i >= 30; i--)
		if (substr(s, i + 1, 1) == " ")
			return substr(s, 1, i) "..."
	len = MAXDESC - 3
	while (len > 0 && is_cont(substr(s, len + 1, 1)))
		len--
	return substr(s, 1, len) "..."
}

function status(name, desc,    d) {
	d = tolower(desc)
	if (name == "")
		return (index(d, "reserved") == 1 || index(d, "any private") == 1) ? "R" : "U"
	if (d in named_status)
		return named_status[d]
	return "A"
}

function add_row(name, proto, desc,    mask, cls, k) {
	if (proto == "")
		mask = 15
	else if (proto in pbit)
		mask = pbit[proto]
	else
		fatal(recline, "unknown transport protocol")
	name = clean(name)
	desc = clean(desc)
	cls = status(name, desc)
	desc = shorten(desc)
	k = nrows
	if (k > 0 && rlo[k] == plo && rhi[k] == phi && rcls[k] == cls &&
	    rname[k] == name && rdesc[k] == desc) {
		rmask[k] = bor(rmask[k], mask)
		return
	}
	if (nrows == MAXROWS)
		fatal(recline, "more than 65535 rows")
	k = ++nrows
	rlo[k] = plo; rhi[k] = phi; rcls[k] = cls; rmask[k] = mask
	rname[k] = name; rdesc[k] = desc
	roname[k] = intern(name)
	rodesc[k] = intern(desc)
}

# Offset of s in the string pool; "" is offset 0.
function intern(s) {
	if (s == "")
		return 0
	if (!(s in pooloff)) {
		pooloff[s] = poolsize
		poolstr[++npool] = s
		poolsize += length(s) + 1
	}
	return pooloff[s]
}

function cstr(s,    out, i, n, c) {
	out = ""
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"")
			out = out "\\" c
		else if (c == "?")
			out = out "\\?"
		else if (ord[c] >= 32 && ord[c] < 127)
			out = out c
		else
			out = out sprintf("\\%03o", ord[c])
	}
	return out
}

# A service name made safe for a C comment.
function comment(s) {
	gsub(/[^A-Za-z0-9._+-]/, "_", s)
	return s
}

# Bitwise or of two protocol masks; POSIX awk has no or().
function bor(a, b,    bit, out) {
	out = 0
	for (bit = 1; bit <= 8; bit *= 2)
		if (int(a / bit) % 2 || int(b / bit) % 2)
			out += bit
	return out
}

function masktext(m,    b, out) {
	if (m == 15)
		return "P_ALL"
	out = ""
	for (b = 1; b <= 8; b *= 2)
		if (int(m / b) % 2)
			out = out (out == "" ? "" : " | ") pname[b]
	return out
}

function emit(    k, off, snap) {
	snap = snapshot == "" ? "unknown" : snapshot
	print "/* SPDX-License-Identifier: GPL-3.0-or-later */"
	print "/* Generated by plugin/registry/registry-gen.awk from the IANA Service Name and"
	print " * Transport Protocol Port Number Registry. Do not edit: run"
	print " * `make registry` (plugin/registry/service-names-port-numbers.csv)."
	print " *"
	print " * Snapshot: " snap " (newest registration or modification date)."
	printf " * %d rows, %d bytes of strings.\n", nrows, poolsize
	print " */"
	print "#include \"registry_data.h\""
	print ""
	print "#include <stddef.h>"
	print "#include <stdint.h>"
	print ""
	print "#include \"registry.h\""
	print ""
	print "/* struct reg_row and the declarations of the symbols below are in"
	print " * registry_data.h, shared with plugin/registry/registry.c. */"
	print ""
	print "#define P_TCP\t(1u << REG_TCP)"
	print "#define P_UDP\t(1u << REG_UDP)"
	print "#define P_SCTP\t(1u << REG_SCTP)"
	print "#define P_DCCP\t(1u << REG_DCCP)"
	print "#define P_ALL\t(P_TCP | P_UDP | P_SCTP | P_DCCP)"
	print ""
	print "const char registry_data_snapshot[] = \"" snap "\";"
	print ""
	print "const size_t registry_data_nrows = " nrows ";"
	print ""
	print "const struct reg_row registry_data_rows[] = {"
	for (k = 1; k <= nrows; k++) {
		printf "\t{ %d, %d, %s, %s, %d, %d },", rlo[k], rhi[k],
		    masktext(rmask[k]), clsname[rcls[k]], roname[k], rodesc[k]
		if (rname[k] != "")
			printf "\t/* %s */", comment(rname[k])
		printf "\n"
	}
	if (nrows == 0)
		print "\t{ 0, 0, 0, 0, 0, 0 },\t/* placeholder: C forbids an empty array */"
	print "};"
	print ""
	print "const char registry_data_pool[] ="
	print "\t\"\\0\"\t/* 0 */"
	off = 1
	for (k = 2; k <= npool; k++) {
		printf "\t\"%s\\0\"\t/* %d */\n", cstr(poolstr[k]), off
		off += length(poolstr[k]) + 1
	}
	print "\t;"
	emit_index()
}

# Fills win[port] with the winning row (1-based, as row + 1 in struct
# reg_span) of every port listed for protocol bit; unlisted ports stay out.
function winners(bit,    k, port) {
	split("", win)
	for (k = 1; k <= nrows; k++) {
		if (!(int(rmask[k] / bit) % 2))
			continue
		for (port = rlo[k]; port <= rhi[k]; port++)
			if (!(port in win) || rank[rcls[k]] > rank[rcls[win[port]]])
				win[port] = k
	}
}

# Appends the spans of one protocol to sp_lo/sp_row and its directory to dir.
function spans(p, bit,    port, k, prev) {
	winners(bit)
	prev = -1
	for (port = 0; port < 65536; port++) {
		k = (port in win) ? win[port] : 0
		if (k != prev) {
			sp_lo[nsp] = port
			sp_row[nsp] = k
			nsp++
			prev = k
		}
		if (port % 256 == 0)
			dir[p, port / 256] = nsp - 1
	}
	dir[p, 256] = nsp - 1
}

function emit_index(    p, bit, i, first, b) {
	nsp = 0
	bit = 1
	for (p = 0; p < 4; p++) {
		pfirst[p] = nsp
		spans(p, bit)
		bit *= 2
	}
	print ""
	printf "const size_t registry_data_nspans = %d;\n", nsp
	print ""
	print "const struct reg_span registry_data_spans[] = {"
	for (p = 0; p < 4; p++) {
		first = pfirst[p]
		printf "\t/* %s: %d-%d */\n", pstr[p], first, dir[p, 256]
		for (i = first; i <= dir[p, 256]; i++)
			printf "%s{ %d, %d },%s", (i - first) % 8 ? " " : "\t", sp_lo[i], sp_row[i],
			    (i - first) % 8 == 7 || i == dir[p, 256] ? "\n" : ""
	}
	print "};"
	print ""
	print "const uint32_t registry_data_dir[REG_NPROTO][REG_DIR_SIZE] = {"
	for (p = 0; p < 4; p++) {
		printf "\t/* %s */\n\t{\n", pstr[p]
		for (b = 0; b <= 256; b++)
			printf "%s%d,%s", b % 12 ? " " : "\t\t", dir[p, b], b % 12 == 11 || b == 256 ? "\n" : ""
		print "\t},"
	}
	print "};"
}
