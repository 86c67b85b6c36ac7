/*
 * ipfilter.h — IP filter rules: the blocked address ranges a user gives
 * inline ("10.0.0.0/8, 192.168.1.5-192.168.1.9, fd00::/8") or as a
 * blocklist file (eMule ipfilter.dat or PeerGuardian P2P text).
 *
 * Pure parsing: nothing here touches libtorrent, the engine, the loop or
 * global state. The engine turns the resulting ranges into a libtorrent
 * ip_filter; the CLI uses ipf_normalize_list() to store what the user
 * typed in one canonical spelling. Tests: tests/unit/test_ipfilter.c.
 */
#ifndef SPATE_ENGINE_IPFILTER_H
#define SPATE_ENGINE_IPFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One blocked address range, inclusive, in network byte order. IPv4 ranges
 * use the first 4 bytes of first/last (the other 12 are zero) and v6=false. */
struct ipf_range {
    uint8_t first[16], last[16];
    bool v6;
};

/* A growable list of ranges, in the order they were added (not merged or
 * sorted). Zero-initialise (struct ipf f = {0}); free with ipf_free. */
struct ipf {
    struct ipf_range *r;
    size_t n, cap;
};

/* Releases f's storage and zeroes it, so f can be reused or freed again.
 * f may be NULL. Any thread, no shared state (f belongs to the caller). */
void ipf_free(struct ipf *f);

/* Parses an inline rule list and appends its ranges to f.
 *  - Entries are separated by commas, semicolons, spaces, tabs or newlines;
 *    empty entries ("a,,b", a trailing ',') are ignored. Whitespace around
 *    the '-' of a range is allowed ("1.2.3.4 - 1.2.3.9" is one entry).
 *  - An entry is an address ("10.0.0.1", "::1"), a CIDR ("10.0.0.0/8",
 *    "fd00::/8"; host bits may be set: "10.1.2.3/8" is 10.0.0.0-10.255.255.255)
 *    or a range "A-B" (same family, A <= B).
 *  - IPv4 is strict dotted-quad as inet_pton reads it: four decimal octets
 *    <= 255, no leading zeros ("010.0.0.1" could mean octal, so it is
 *    refused); IPv6 is anything inet_pton(AF_INET6) accepts.
 * list may be NULL (same as ""). Returns 0 (an empty list adds nothing),
 * -EINVAL with a one-line message naming the first bad entry in err, or
 * -ENOMEM; on any error f is left exactly as it was. err (errlen bytes,
 * may be NULL/0) gets "" on success. f owns the ranges; free with
 * ipf_free. Any thread, no shared state. */
int ipf_parse_list(struct ipf *f, const char *list, char *err, size_t errlen);

/* Rewrites an inline list (the syntax of ipf_parse_list) canonically for
 * storage: an address as inet_ntop prints it ("10.0.0.1", compressed IPv6),
 * a CIDR with its host bits cleared ("10.0.0.0/8"), a range as "A-B"; a /32
 * or /128 CIDR and a range "A-A" are printed as the single address.
 * Duplicates (equal after rewriting) are dropped; the rest are joined with
 * "," in input order, NUL-terminated in out (outlen bytes). An empty list
 * gives "". Returns 0, -EINVAL (bad entry, named in err) or -ERANGE (out too
 * small; err says so); on error out is "" when outlen > 0. Any thread, no
 * shared state. */
int ipf_normalize_list(const char *list, char *out, size_t outlen, char *err, size_t errlen);

/* Loads a blocklist file and appends its blocked ranges to f. The format is
 * detected per line:
 *  - eMule ipfilter.dat: "001.002.003.004 - 001.002.003.255 , 000 , description"
 *    or just "A - B , level". IPv4 octets may have leading zeros and are
 *    read as DECIMAL. Access level < 128 blocks; >= 128 allows, so the line
 *    is skipped (and not counted bad).
 *  - PeerGuardian P2P text: "description:1.2.3.4-1.2.3.255". The
 *    description may contain ':'; for IPv4 the split is at the last ':'
 *    before the range. For IPv6 (whose addresses hold ':') the split is the
 *    ':' that makes the start address share the longest prefix with the end
 *    address (the last such ':' on a tie).
 * IPv6 ranges are accepted in both formats. Blank lines and lines starting
 * with '#' or "//" are skipped; CRLF endings and a UTF-8 BOM are fine.
 * Lines matching neither format (including lines over 4096 bytes, which are
 * skipped without being buffered whole) are counted in *n_bad (n_bad may be
 * NULL) and are not fatal; when there are any, err holds a one-line warning
 * naming up to the first 3 bad line numbers even on success ("" otherwise).
 * The file is streamed line by line; memory is that of the ranges kept.
 * Returns the number of ranges added (>= 0; 0 for an empty or comment-only
 * file), or on error (f then unchanged):
 *  - -errno if the file cannot be opened or read ("cannot read PATH: ..."),
 *  - -EINVAL if it has entry lines but none parsed (err explains; a gzip or
 *    zip file is recognised and named as such),
 *  - -ENOMEM, or -EOVERFLOW past INT_MAX ranges.
 * Any thread, no shared state. Sources: eMule ipfilter.dat format (eMule
 * wiki, "IP Filter"); PeerGuardian P2P plain-text format (PeerBlock
 * documentation, "P2P list format"). */
int ipf_load_file(struct ipf *f, const char *path, size_t *n_bad, char *err, size_t errlen);

/* ipf_load_file on a stream the caller opened (and closes): the engine
 * opens the file with eng_safe_open (regular files only, size cap) and
 * parses it here on a worker thread. path only names the file in
 * messages. Same results and errors as ipf_load_file, except that nothing
 * is opened. Any thread, no shared state. */
int ipf_load_stream(struct ipf *f, FILE *fp, const char *path, size_t *n_bad, char *err,
                    size_t errlen);

/* True if addr (4 bytes when v6 is false, 16 when true; network order) lies
 * in any range of f of the same family. An IPv4-mapped IPv6 address is
 * IPv6 here. A linear scan (O(n)); f may be NULL or empty. Any thread, as
 * long as no other thread modifies f. */
bool ipf_contains(const struct ipf *f, const uint8_t *addr, bool v6);

#endif
