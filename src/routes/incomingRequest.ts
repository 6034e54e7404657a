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
