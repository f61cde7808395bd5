import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A URL the service may not call; `reason` says why in words a caller can act on. */
export class WebhookUrlRefusedError extends Error {
  readonly code = 'WEBHOOK_URL_REFUSED';

  constructor(readonly reason: string) {
    super(reason);
  }
}

/** IPv6 global unicast: the only IPv6 addresses routed on the internet. */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

/** True for addresses on the public internet: not loopback, private, link-local, multicast or reserved. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
  const parsed = ipaddr.process(address);
  if (parsed.range() !== 'unicast') return false;
  // ipaddr.js calls IPv6 outside its named ranges unicast, such as ::7f00:1 (127.0.0.1 in the
  // deprecated IPv4-compatible form): only global unicast passes.
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(IPV6_GLOBAL_UNICAST);
}

/** Parses and checks what can be known without DNS: scheme, credentials, a literal address. */
export function checkUrlShape(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlRefusedError('the URL does not parse');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new WebhookUrlRefusedError(allowPrivate ? 'the URL must use http or https' : 'the URL must use https');
  }
  if (url.username || url.password) throw new WebhookUrlRefusedError('the URL may not carry credentials');
  const host = bareHost(url);
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) throw new WebhookUrlRefusedError(`${host} is not a public address`);
  return url;
}

/** Resolves the URL's host and refuses it unless every address it resolves to may be called. */
export async function checkUrl(text: string, allowPrivate: boolean): Promise<URL> {
  const url = checkUrlShape(text, allowPrivate);
  if (allowPrivate) return url;
  const addresses = await resolveAll(bareHost(url)).catch((error: NodeJS.ErrnoException) => {
    throw new WebhookUrlRefusedError(`${url.hostname} does not resolve (${error.code ?? error.message})`);
  });
  const refused = addresses.find((entry) => !isPublicAddress(entry.address));
  if (refused) throw new WebhookUrlRefusedError(notPublic(url.hostname));
  return url;
}

/** The host of a URL without the brackets of an IPv6 literal. */
const bareHost = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/**
 * Why a name is refused, without the address it resolved to: the answer goes to API callers,
 * and must not map the service's private network for them.
 */
const notPublic = (hostname: string): string => `${hostname} resolves to an address that is not public`;

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

/**
 * The DNS lookup of every outgoing connection: the addresses are checked when the connection is
 * made, so a name that resolved to a public address at creation and to a private one now
 * (DNS rebinding) is refused at delivery.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((entry) => !isPublicAddress(entry.address));
      if (refused) return callback(new WebhookUrlRefusedError(notPublic(hostname)), '', 0);
      if (options.all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
