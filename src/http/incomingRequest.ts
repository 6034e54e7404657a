import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import proxyaddr from 'proxy-addr';

/** Whether the proxy at `address`, `hop` hops from this server, may be believed (TRUST_PROXY). */
export type TrustProxy = (address: string, hop: number) => boolean;

/** The client's address as express's req.ip gives it: X-Forwarded-For only through trusted proxies. */
export function clientIp(req: http.IncomingMessage, trust: TrustProxy): string | undefined {
  return proxyaddr(req, trust);
}

/**
 * The request's protocol as express's req.protocol gives it: X-Forwarded-Proto's first value where
 * the peer is a trusted proxy, else whether this connection is TLS.
 */
export function requestProtocol(req: http.IncomingMessage, trust: TrustProxy): string {
  const own = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  if (!trust(req.socket.remoteAddress ?? '', 0)) return own;
  const header = req.headers['x-forwarded-proto'];
  const value = (Array.isArray(header) ? header[0] : header) || own;
  return value.split(',')[0].trim();
}

/** A request header as one string (Node joins repeated ones into an array for a few names). */
export function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

// Letters, digits, dot, underscore and hyphen: safe in a header, a log line and a message.
const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** The request's id: the client's X-Request-Id where it is well formed, else a new UUID. */
export function requestIdOf(req: http.IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && requestIdPattern.test(header) ? header : randomUUID();
}
