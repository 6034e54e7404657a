import type http from 'node:http';

/** Whether the server is draining, and the check every request passes while it does. */
export interface DrainGate {
  readonly draining: boolean;
  /** From now on every answer says Connection: close. */
  startDraining(): void;
  /** False where the request is dropped unprocessed (its socket is already half-closed). */
  admit(req: http.IncomingMessage, res: http.ServerResponse): boolean;
}

/**
 * While draining, every answer says Connection: close, so no client sends another request on a
 * socket the drain is about to close (a request can otherwise run and lose its answer). And a
 * request that arrives on a socket the drain has already half-closed (Apollo's Stopper ends idle
 * keep-alive sockets) could run but never deliver its answer: it is dropped unprocessed, so the
 * client sees a closed connection and knows nothing happened.
 */
export function drainGate(): DrainGate {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    startDraining() {
      draining = true;
    },
    admit(req, res) {
      if (draining) {
        if (req.socket.writableEnded || req.socket.destroyed) {
          req.socket.destroy();
          return false;
        }
        res.setHeader('connection', 'close');
      }
      return true;
    },
  };
}
