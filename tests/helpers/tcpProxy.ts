import net from 'node:net';

/**
 * A TCP proxy between the gateway and a real database server, for outages made on purpose:
 * cut() breaks every open connection and refuses new ones (as a stopped or unreachable server
 * does: the client's connection ends at once), restore() lets connections through again. The
 * database itself is never touched.
 */
export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  port: number;
  /** Connections made through the proxy while it was open. */
  readonly connections: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let isCut = false;
  let connections = 0;
  const server = net.createServer(client => {
    if (isCut) {
      client.destroy();
      return;
    }
    connections += 1;
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  const cutAll = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    port: address.port,
    get connections() {
      return connections;
    },
    cut() {
      isCut = true;
      cutAll();
    },
    restore() {
      isCut = false;
    },
    close: () =>
      new Promise<void>(resolve => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
