import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A status, a redirect (status and Location), or null: never answer. */
export type Answer = number | { status: number; location: string } | null;

/**
 * A local HTTP receiver on 127.0.0.1 (random port). Each path answers as its handler says; a handler returning
 * null never answers (a hanging receiver).
 */
export class Receiver {
  readonly received: Received[] = [];
  private readonly handlers = new Map<string, (n: number) => Answer>();
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  url = '';

  on(path: string, handler: (n: number) => Answer): string {
    this.handlers.set(path, handler);
    return `${this.url}${path}`;
  }

  count(path: string): number {
    return this.received.filter((r) => r.path === path).length;
  }

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body, at: Date.now() });
        const answer = (this.handlers.get(path) ?? (() => 404))(this.count(path));
        if (typeof answer === 'number') res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
        else if (answer) res.writeHead(answer.status, { location: answer.location }).end();
      });
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
