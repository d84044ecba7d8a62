/**
 * Go 1.25 net.ParseIP, which is netip.ParseAddr with zones rejected (src/net/ip.go parseIP,
 * src/net/netip/netip.go parseIPv4/parseIPv6). Values are only checked, never canonicalized.
 */

export type GoAddr =
  | { ok: true; /** 4 bytes for dotted quads, 16 for IPv6 text */ bytes: Uint8Array; is4: boolean; zone: string }
  | { ok: false; /** netip's parseAddrError msg */ error: string };

const fail = (error: string): GoAddr => ({ ok: false, error });

/** netip parseIPv4: exactly four decimal fields, each 0..255, no leading zeros. */
function parseIPv4(s: string): GoAddr {
  const fields = new Uint8Array(4);
  let val = 0;
  let pos = 0;
  let digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digLen === 1 && val === 0) return fail('IPv4 field has octet with leading zero');
      val = val * 10 + (c - 48);
      digLen++;
      if (val > 255) return fail('IPv4 field has value >255');
    } else if (c === 46) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return fail('IPv4 field must have at least one digit');
      if (pos === 3) return fail('IPv4 address too long');
      fields[pos++] = val;
      val = 0;
      digLen = 0;
    } else {
      return fail('unexpected character');
    }
  }
  if (pos < 3) return fail('IPv4 address too short');
  fields[3] = val;
  return { ok: true, bytes: fields, is4: true, zone: '' };
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 97 + 10;
  if (c >= 65 && c <= 70) return c - 65 + 10;
  return -1;
}

/** netip parseIPv6: RFC 4291 text, optional "::", optional trailing dotted quad, optional %zone. */
function parseIPv6(input: string): GoAddr {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return fail('zone must be a non-empty string');
  }
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { ok: true, bytes: ip, is4: false, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const h = hexVal(s.charCodeAt(off));
      if (h < 0) break;
      acc = acc * 16 + h;
      if (off > 3) return fail('each group must have 4 or less digits');
      if (acc > 0xffff) return fail('IPv6 field has value >=2^16');
    }
    if (off === 0) return fail('each colon-separated field must have at least one digit');
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return fail('embedded IPv4 address must replace the final 2 fields of the address');
      if (i + 4 > 16) return fail('too many hex fields to fit an embedded IPv4 at the end of the address');
      const ip4 = parseIPv4(s);
      if (!ip4.ok) return ip4;
      ip.set(ip4.bytes, i);
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') return fail('unexpected character, want colon');
    if (s.length === 1) return fail('colon must be followed by more characters');
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return fail('multiple :: in address');
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return fail('trailing garbage after address');
  if (i < 16) {
    if (ellipsis < 0) return fail('address string too short');
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return fail('the :: must expand to at least one field of zeros');
  }
  return { ok: true, bytes: ip, is4: false, zone };
}

/** netip.ParseAddr: the first '.', ':' or '%' decides the form. */
export function parseGoAddr(s: string): GoAddr {
  for (let i = 0; i < s.length; i++) {
    switch (s[i]) {
      case '.':
        return parseIPv4(s);
      case ':':
        return parseIPv6(s);
      case '%':
        return fail('missing IPv6 address');
    }
  }
  return fail('unable to parse IP');
}

/** net.ParseIP(s) != nil (Go 1.25): any netip address without a zone. */
export function parseGoIP(s: string): boolean {
  const a = parseGoAddr(s);
  return a.ok && a.zone === '';
}

/** net.ParseIP accepts s and it is written as a dotted quad (netip Addr.Is4). */
export function isIPv4(s: string): boolean {
  const a = parseGoAddr(s);
  return a.ok && a.is4;
}

/** net.ParseIP accepts s and it is written in IPv6 form (includes ::ffff:1.2.3.4). */
export function isIPv6(s: string): boolean {
  const a = parseGoAddr(s);
  return a.ok && !a.is4 && a.zone === '';
}
