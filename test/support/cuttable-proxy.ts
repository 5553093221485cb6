import { AddressInfo, connect, createServer, Socket } from 'node:net';

export interface CuttableProxy {
  port: number;
  /** Cut and not restored yet. */
  readonly isCut: boolean;
  /** Drops every connection and refuses new ones until restore(). */
  cut(): void;
  /**
   * Lets the next `messages` - 1 client-to-server writes through, then cuts on the last one instead of forwarding
   * it: connections that started fine are dropped in the middle of a conversation (a query in flight).
   */
  cutAfter(messages: number): void;
  restore(): void;
  close(): void;
}

/** A TCP proxy to a local port (PostgreSQL) that a test can cut and restore. */
export async function cuttableProxy(target: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  let untilCut = Infinity;
  const cut = () => {
    down = true;
    for (const s of sockets) s.destroy();
  };
  const server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.on('data', (chunk) => {
      untilCut -= 1;
      if (untilCut === 0) cut();
      else if (!down) upstream.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    get isCut() {
      return down;
    },
    cut,
    cutAfter(messages) {
      untilCut = messages;
    },
    restore() {
      down = false;
      untilCut = Infinity;
    },
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** `databaseUrl` with its port replaced by the proxy's (and, when given, another role). */
export function throughProxy(databaseUrl: string, proxy: CuttableProxy, role?: [string, string]): string {
  const url = new URL(databaseUrl);
  url.port = String(proxy.port);
  if (role) [url.username, url.password] = role;
  return url.toString();
}
