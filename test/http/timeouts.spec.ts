import type { Server } from 'node:http';
import * as net from 'node:net';
import { createTestApp, TestApp } from '../helpers/db';

/**
 * A real socket, because inject() has none to hold open. The timeouts are short here; the
 * bounds the test waits are many times longer, so a loaded machine cannot fail it.
 */
const REQUEST_TIMEOUT_MS = 1000;
const CONNECTION_TIMEOUT_MS = 1500;
const KEEP_ALIVE_TIMEOUT_MS = 5000;
const BOUND_MS = 30000;

interface Client {
  socket: net.Socket;
  received: () => string;
  closed: () => boolean;
  /** Resolves when the server closes the connection, or after ms (the socket is then still open). */
  closing: (ms: number) => Promise<boolean>;
}

function connect(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    let closed = false;
    const waiters: (() => void)[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', () => undefined); // a reset by the server is a close too
    socket.on('close', () => {
      closed = true;
      waiters.splice(0).forEach((w) => w());
    });
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        closed: () => closed,
        closing: (ms) =>
          new Promise((done) => {
            if (closed) return done(true);
            const timer = setTimeout(() => done(closed), ms);
            waiters.push(() => {
              clearTimeout(timer);
              done(true);
            });
          }),
      }),
    );
    socket.once('error', reject);
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('server timeouts (a real socket)', () => {
  let t: TestApp;
  let port: number;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    clients.forEach((c) => c.socket.destroy());
    await t?.close();
  });

  it('passes the configured timeouts to the server', () => {
    const server = t.app.getHttpServer() as Server;
    expect({ request: server.requestTimeout, connection: server.timeout, keepAlive: server.keepAliveTimeout }).toEqual({
      request: REQUEST_TIMEOUT_MS,
      connection: CONNECTION_TIMEOUT_MS,
      keepAlive: KEEP_ALIVE_TIMEOUT_MS,
    });
  });

  it('closes the connection of a client that sends its body too slowly, though it never goes quiet', async () => {
    const client = await connect(port);
    clients.push(client);
    const body = JSON.stringify({ email: 'slow@example.com', password: 'correct horse battery' }).padEnd(400, ' ');
    client.socket.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    // One byte every 100 ms: the socket is never idle for CONNECTION_TIMEOUT_MS, so only the
    // request timeout can end it. The body would take 40 s; the loop stops at BOUND_MS.
    const started = Date.now();
    let sent = 0;
    while (!client.closed() && sent < body.length && Date.now() - started < BOUND_MS) {
      client.socket.write(body[sent++]);
      await pause(100);
    }
    expect(await client.closing(1000)).toBe(true);
    expect(sent).toBeLessThan(body.length);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes the connection of a client that stops in the middle of its headers', async () => {
    const client = await connect(port);
    clients.push(client);
    client.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half');
    expect(await client.closing(BOUND_MS)).toBe(true);
    expect(client.received()).not.toMatch(/200 OK/);
  });

  it('still serves a client that sends in time', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', environment: 'test' });
  });
});
