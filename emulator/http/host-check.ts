/**
 * The Host check, against DNS rebinding: a web page on a domain its owner re-resolves to
 * 127.0.0.1 is, to the browser, the same origin as everything it then fetches, so it could read
 * and change the emulator as if it were its own. The one thing such a request cannot hide is its
 * `Host` header, which names the attacker's domain. So a request is answered only when its Host
 * is a loopback name or address (`localhost` and `*.localhost`, any 127.0.0.0/8 address,
 * `[::1]`; any port), the address the emulator was told to bind, or a name the user allowed
 * (`--allowed-hosts <name>`, `allowedHosts`); `--allowed-hosts all` turns the check off.
 * Everything else, health checks included, is a 403 Status that names the flag.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { MiddlewareModule } from '../context.js';
import { errors } from '../machinery/status.js';
import { sendError } from './respond.js';

/** The value of `--allowed-hosts` (and `allowedHosts`) that turns the check off. */
const ALL_HOSTS = 'all';

/** What `--allowed-hosts` / `allowedHosts` allow, checked and normalized. */
export interface AllowedHosts {
  /** The check is off. */
  all: boolean;
  /** Exact host names and addresses (IPv6 in brackets), lower case. */
  names: string[];
  /** From `.example.com`: that name and every name under it (as Vite's allowedHosts). */
  domains: string[];
}

/** A Host header: a name or IPv4 address, or an IPv6 address in brackets, and an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::\d{1,5})?$/i;
const NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i;

/** `::1`, `[0:0::1]` → `[::1]`: IPv6 addresses compared in the one form browsers write. */
function bracketedIPv6(address: string): string | undefined {
  const inner = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  return isIPv6(inner) ? new URL(`http://[${inner}]/`).hostname : undefined;
}

/** The host part of a Host header, normalized; undefined when it is not one. */
function hostOf(header: string): string | undefined {
  const m = HOST_HEADER.exec(header);
  if (!m) return undefined;
  const host = m[1].toLowerCase();
  return host.startsWith('[') ? bracketedIPv6(host) : host;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || (host.startsWith('127.') && isIPv4(host));
}

/** An address to bind (`--host ::1`) as the Host check compares hosts. */
const bindHost = (address: string) => bracketedIPv6(address) ?? address.toLowerCase();

/** Whether an address to bind is a loopback one: the one rule for the Host check and the CLI's warnings. */
export function isLoopbackAddress(address: string): boolean {
  return isLoopback(bindHost(address));
}

/**
 * Checks and normalizes the hosts a user allows. `label` names the setting in messages
 * (`--allowed-hosts` for the CLI, `allowedHosts` for createEmulator), which share this one rule.
 */
export function parseAllowedHosts(values: readonly string[] | typeof ALL_HOSTS | undefined, label = '--allowed-hosts'): AllowedHosts {
  const out: AllowedHosts = { all: false, names: [], domains: [] };
  if (values === undefined) return out;
  if (values === ALL_HOSTS) return { ...out, all: true };
  if (!Array.isArray(values)) throw new Error(`${label} must be a list of host names or "${ALL_HOSTS}", got ${JSON.stringify(values)}`);
  for (const raw of values) {
    const value = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
    if (value === ALL_HOSTS) {
      out.all = true;
      continue;
    }
    const ipv6 = typeof value === 'string' ? bracketedIPv6(value) : undefined;
    if (ipv6) out.names.push(ipv6);
    else if (typeof value === 'string' && value.startsWith('.') && NAME.test(value.slice(1))) out.domains.push(value.slice(1));
    else if (typeof value === 'string' && NAME.test(value)) out.names.push(value);
    else {
      throw new Error(
        `${label} takes a host name or address as clients write it in the Host header, without scheme or port ` +
          `(e.g. myhost.local, .example.test for a domain and its subdomains, 192.168.1.5, ::1, or "${ALL_HOSTS}"), got ${JSON.stringify(raw)}`,
      );
    }
  }
  return out;
}

/** Decisions are remembered per Host value, for at most this many values (a forger cannot grow it). */
const MAX_REMEMBERED = 64;

/** The hosts a running emulator answers to. */
export class HostAllowList {
  readonly all: boolean;
  private readonly names: Set<string>;
  private readonly domains: string[];
  private readonly decided = new Map<string, boolean>();

  constructor(allowed: AllowedHosts) {
    this.all = allowed.all;
    this.names = new Set(allowed.names);
    this.domains = allowed.domains;
  }

  /** The address listen() binds is a name its clients use (`--host 192.168.1.5`). */
  allowBindAddress(address: string): void {
    const host = bindHost(address);
    if (this.names.has(host)) return;
    this.names.add(host);
    this.decided.clear();
  }

  allows(header: string | undefined): boolean {
    // HTTP/1.0 may omit Host; a browser never does, so no web page can be behind such a request.
    if (header === undefined) return true;
    const known = this.decided.get(header);
    if (known !== undefined) return known;
    const host = hostOf(header);
    const ok = host !== undefined && (isLoopback(host) || this.names.has(host) || this.domains.some((d) => host === d || host.endsWith('.' + d)));
    if (this.decided.size < MAX_REMEMBERED) this.decided.set(header, ok);
    return ok;
  }
}

function refusal(header: string) {
  const host = hostOf(header);
  const name = host && !host.startsWith('[') ? host : undefined;
  const allow = name ? `start it with --allowed-hosts ${name}` : 'allow the host with --allowed-hosts <name>';
  return errors.forbidden(
    `Host ${JSON.stringify(header)} is not allowed: the emulator answers only to loopback names and addresses, the address it binds ` +
      `and hosts given with --allowed-hosts (guarding against DNS rebinding); to reach it by this name, ${allow} (or createEmulator({ allowedHosts }))`,
  );
}

/** Middleware run before anything else; none when the check is off. */
export function hostCheck(list: HostAllowList): MiddlewareModule {
  return () =>
    list.all
      ? undefined
      : (req: Request, res: Response, next: NextFunction) => {
          const host = req.headers.host;
          if (list.allows(host)) return next();
          sendError(res, refusal(host!));
        };
}
