/**
 * A small TCP agent that runs inside one network namespace
 * (`ip netns exec NS node --import tsx netns-agent.ts`), driven by the test
 * harness (netns.ts) over stdin/stdout, one JSON object per line.
 *
 * Servers greet every connection with one JSON line naming the listener and the
 * peer address it sees, then echo (or, in `sink` mode, count bytes until the
 * client half-closes and answer the count). Clients connect, read that greeting,
 * and keep the socket so a test can send data over a long-lived connection.
 * Every wait is bounded by the caller's timeout. The agent exits when stdin
 * closes, so it never outlives the harness.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import * as readline from 'node:readline';

export interface Greeting {
  /** The listener's label. */
  readonly label: string;
  /** Source address the server sees. */
  readonly from: string;
  readonly fromPort: number;
}

export type AgentRequest =
  | { op: 'listen'; host: string; port: number; label: string; mode?: 'echo' | 'sink' }
  | { op: 'connect'; host: string; port: number; timeoutMs: number; localAddress?: string }
  | { op: 'send'; conn: number; data: string; timeoutMs: number }
  | { op: 'close'; conn: number }
  | { op: 'probe'; host: string; port: number; timeoutMs: number; localAddress?: string }
  | { op: 'accepted' }
  | { op: 'latency'; host: string; port: number; count: number; timeoutMs: number }
  | { op: 'throughput'; host: string; port: number; seconds: number; timeoutMs: number }
  /** Round trips of `size`-byte messages over one established connection, one at a time (FIX-like traffic). */
  | { op: 'rtt'; host: string; port: number; count: number; size: number; timeoutMs: number }
  /** An HTTP server answering any method on the paths set with httpSet (S3 and IMDS stand-ins). */
  | { op: 'http'; host: string; port: number }
  | { op: 'httpSet'; port: number; path: string; body: string | null }
  | { op: 'httpStop'; port: number }
  /** Requests the HTTP servers received since the last call: `METHOD path status`. */
  | { op: 'httpLog' };

interface Accepted {
  readonly label: string;
  readonly from: string;
}

const conns = new Map<number, { socket: net.Socket; buffer: string }>();
let nextConn = 1;
let accepted: Accepted[] = [];
const servers: net.Server[] = [];
const httpServers = new Map<number, { server: http.Server; routes: Map<string, string> }>();
let httpLog: string[] = [];

function serveHttp(host: string, port: number): Promise<void> {
  const routes = new Map<string, string>();
  const server = http.createServer((req, res) => {
    req.resume();
    const body = routes.get((req.url ?? '/').split('?')[0]);
    httpLog.push(`${req.method} ${req.url} ${body === undefined ? 404 : 200}`);
    if (body === undefined) {
      res.writeHead(404);
      res.end('not found');
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(body);
    }
  });
  httpServers.set(port, { server, routes });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function reply(id: number, body: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ id, ...body })}\n`);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

function listen(host: string, port: number, label: string, mode: 'echo' | 'sink'): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.setNoDelay(true);
      const from = socket.remoteAddress ?? '';
      accepted.push({ label, from });
      socket.write(`${JSON.stringify({ label, from, fromPort: socket.remotePort })}\n`);
      if (mode === 'echo') {
        socket.pipe(socket);
      } else {
        let bytes = 0;
        socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
        socket.on('end', () => socket.end(`${bytes}\n`));
      }
    });
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      servers.push(server);
      resolve();
    });
  });
}

interface Opened {
  readonly socket: net.Socket;
  readonly greeting: Greeting;
  readonly rest: string;
  readonly connectMs: number;
}

/** Connects and reads the server's greeting line, within timeoutMs. */
function open(host: string, port: number, timeoutMs: number, localAddress?: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let connectMs = -1;
    let buffer = '';
    const socket = net.connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    socket.setNoDelay(true);
    const timer = setTimeout(
      () => fail(Object.assign(new Error('timeout'), { code: connectMs < 0 ? 'ETIMEDOUT' : 'EGREETING' })),
      timeoutMs,
    );
    const fail = (error: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('connect', () => (connectMs = Number(process.hrtime.bigint() - started) / 1e6));
    socket.on('error', fail);
    socket.on('close', () => fail(Object.assign(new Error('closed'), { code: 'ECLOSED' })));
    socket.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      socket.on('error', () => undefined);
      try {
        resolve({ socket, greeting: JSON.parse(buffer.slice(0, nl)) as Greeting, rest: buffer.slice(nl + 1), connectMs });
      } catch (error) {
        fail(error);
      }
    };
    socket.on('data', onData);
  });
}

function send(conn: number, data: string, timeoutMs: number): Promise<string> {
  const c = conns.get(conn);
  if (!c) return Promise.reject(new Error(`no connection ${conn}`));
  return new Promise((resolve, reject) => {
    const { socket } = c;
    const timer = setTimeout(() => done(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
    // The connection's own listener (registered first, in `connect`) appends to the buffer.
    const onData = () => {
      if (c.buffer.length >= data.length) done();
    };
    const onClose = () => done(Object.assign(new Error('closed'), { code: 'ECLOSED' }));
    const done = (error?: unknown) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error) return reject(error);
      const echoed = c.buffer.slice(0, data.length);
      c.buffer = c.buffer.slice(data.length);
      resolve(echoed);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.write(data);
    if (c.buffer.length >= data.length) done();
  });
}

/** Sequential request/response round trips over one connection; the time of each, in ms. */
async function rtt(host: string, port: number, count: number, size: number, timeoutMs: number): Promise<number[]> {
  const { socket, rest } = await open(host, port, timeoutMs);
  socket.setNoDelay(true);
  const message = `${'8=FIX.4.4|'.repeat(Math.ceil(size / 10)).slice(0, size - 1)}\n`;
  let received = rest.length;
  let waiting: (() => void) | undefined;
  socket.on('data', (d: string) => {
    received += d.length;
    waiting?.();
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const target = received + message.length;
      const started = process.hrtime.bigint();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
        waiting = () => {
          if (received >= target) {
            clearTimeout(timer);
            waiting = undefined;
            resolve();
          }
        };
        socket.write(message);
      });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  } finally {
    socket.destroy();
  }
  return times;
}

/** Sequential connects; returns the TCP handshake time of each, in ms. */
async function latency(host: string, port: number, count: number, timeoutMs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const { socket, connectMs } = await open(host, port, timeoutMs);
    socket.destroy();
    times.push(connectMs);
  }
  return times;
}

/** Sends as fast as possible for `seconds` to a sink listener; returns bytes the server counted and the time taken. */
async function throughput(host: string, port: number, seconds: number, timeoutMs: number): Promise<{ bytes: number; ms: number }> {
  const { socket } = await open(host, port, timeoutMs);
  const chunk = Buffer.alloc(256 * 1024, 0x5a);
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    const pump = (): void => {
      while (process.hrtime.bigint() < deadline) {
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      resolve();
    };
    pump();
  });
  return new Promise((resolve, reject) => {
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error('timeout waiting for the byte count'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.on('data', (d: string) => (answer += d));
    socket.once('end', () => {
      clearTimeout(timer);
      resolve({ bytes: Number(answer.trim()), ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
    socket.end();
  });
}

async function handle(id: number, request: AgentRequest): Promise<void> {
  try {
    switch (request.op) {
      case 'listen':
        await listen(request.host, request.port, request.label, request.mode ?? 'echo');
        return reply(id, { ok: true });
      case 'connect': {
        const { socket, greeting, rest } = await open(request.host, request.port, request.timeoutMs, request.localAddress);
        const conn = nextConn++;
        conns.set(conn, { socket, buffer: rest });
        socket.on('data', (d: string) => (conns.get(conn)!.buffer += d));
        return reply(id, { ok: true, conn, greeting });
      }
      case 'send':
        return reply(id, { ok: true, echoed: await send(request.conn, request.data, request.timeoutMs) });
      case 'close':
        conns.get(request.conn)?.socket.destroy();
        conns.delete(request.conn);
        return reply(id, { ok: true });
      case 'probe': {
        const { socket, greeting } = await open(request.host, request.port, request.timeoutMs, request.localAddress);
        socket.destroy();
        return reply(id, { ok: true, greeting });
      }
      case 'accepted': {
        const list = accepted;
        accepted = [];
        return reply(id, { ok: true, accepted: list });
      }
      case 'latency':
        return reply(id, { ok: true, times: await latency(request.host, request.port, request.count, request.timeoutMs) });
      case 'throughput':
        return reply(id, { ok: true, ...(await throughput(request.host, request.port, request.seconds, request.timeoutMs)) });
      case 'rtt':
        return reply(id, { ok: true, times: await rtt(request.host, request.port, request.count, request.size, request.timeoutMs) });
      case 'http':
        await serveHttp(request.host, request.port);
        return reply(id, { ok: true });
      case 'httpSet': {
        const routes = httpServers.get(request.port)?.routes;
        if (!routes) return reply(id, { ok: false, error: `no HTTP server on ${request.port}` });
        if (request.body === null) routes.delete(request.path);
        else routes.set(request.path, request.body);
        return reply(id, { ok: true });
      }
      case 'httpStop': {
        const s = httpServers.get(request.port);
        httpServers.delete(request.port);
        if (s) await new Promise<void>((resolve) => s.server.close(() => resolve()));
        return reply(id, { ok: true });
      }
      case 'httpLog': {
        const list = httpLog;
        httpLog = [];
        return reply(id, { ok: true, log: list });
      }
      default:
        return reply(id, { ok: false, error: `unknown op ${(request as { op: string }).op}` });
    }
  } catch (error) {
    return reply(id, { ok: false, error: errorCode(error) });
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, ...request } = JSON.parse(line) as { id: number } & AgentRequest;
  void handle(id, request as AgentRequest);
});
process.stdin.on('end', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ id: 0, ok: true, ready: true })}\n`);
