/**
 * The client side of the namespace labs' TCP agents: one agent process per
 * namespace (netns-agent.ts), driven over its stdin/stdout.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { AgentRequest, Greeting } from './netns-agent';

const ROOT = path.resolve(__dirname, '..', '..');
const AGENT = path.join(__dirname, 'netns-agent.ts');

export type ProbeResult = { ok: true; greeting: Greeting } | { ok: false; error: string };
export type ConnectResult = { ok: true; conn: number; greeting: Greeting } | { ok: false; error: string };

/** The TCP agent of one namespace (netns-agent.ts). */
export class Agent {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Record<string, any>) => void>();
  private readonly ready: Promise<void>;

  constructor(
    readonly ns: string,
    private readonly child: ChildProcess,
  ) {
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent in ${ns} did not start within 15 s: ${stderr}`)), 15000);
      this.pending.set(0, () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`agent in ${ns} exited (${code}): ${stderr}`));
        for (const [, done] of this.pending) done({ ok: false, error: `agent exited: ${stderr}` });
        this.pending.clear();
      });
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const { id, ...reply } = JSON.parse(line) as { id: number };
      this.pending.get(id)?.(reply);
      this.pending.delete(id);
    });
  }

  static start(ns: string): Agent {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', AGENT], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new Agent(ns, child);
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  request(req: AgentRequest): Promise<Record<string, any>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin!.write(`${JSON.stringify({ id, ...req })}\n`);
    });
  }

  async listen(host: string, port: number, mode: 'echo' | 'sink' = 'echo'): Promise<void> {
    const r = await this.request({ op: 'listen', host, port, label: `${host}:${port}`, mode });
    if (!r.ok) throw new Error(`cannot listen on ${host}:${port} in ${this.ns}: ${r.error}`);
  }

  /** Connects, reads the greeting and closes. */
  probe(host: string, port: number, timeoutMs = 3000, localAddress?: string): Promise<ProbeResult> {
    return this.request({ op: 'probe', host, port, timeoutMs, localAddress }) as Promise<ProbeResult>;
  }

  /** Connects and keeps the connection open for send(). */
  connect(host: string, port: number, timeoutMs = 3000): Promise<ConnectResult> {
    return this.request({ op: 'connect', host, port, timeoutMs }) as Promise<ConnectResult>;
  }

  /** Sends data over an open connection and returns what the server echoed. */
  async send(conn: number, data: string, timeoutMs = 3000): Promise<{ ok: boolean; echoed?: string; error?: string }> {
    return this.request({ op: 'send', conn, data, timeoutMs }) as Promise<{ ok: boolean; echoed?: string; error?: string }>;
  }

  async close(conn: number): Promise<void> {
    await this.request({ op: 'close', conn });
  }

  /** Connections this agent's listeners accepted since the last call. */
  async accepted(): Promise<{ label: string; from: string }[]> {
    return (await this.request({ op: 'accepted' })).accepted as { label: string; from: string }[];
  }

  async latency(host: string, port: number, count: number, timeoutMs = 3000): Promise<number[]> {
    const r = await this.request({ op: 'latency', host, port, count, timeoutMs });
    if (!r.ok) throw new Error(`latency to ${host}:${port} from ${this.ns}: ${r.error}`);
    return r.times as number[];
  }

  /** Round trips (ms) of `size`-byte messages over one established connection. */
  async rtt(host: string, port: number, count: number, size: number, timeoutMs = 3000): Promise<number[]> {
    const r = await this.request({ op: 'rtt', host, port, count, size, timeoutMs });
    if (!r.ok) throw new Error(`rtt to ${host}:${port} from ${this.ns}: ${r.error}`);
    return r.times as number[];
  }

  async throughput(host: string, port: number, seconds: number, timeoutMs = 10000): Promise<{ bytes: number; ms: number }> {
    const r = await this.request({ op: 'throughput', host, port, seconds, timeoutMs });
    if (!r.ok) throw new Error(`throughput to ${host}:${port} from ${this.ns}: ${r.error}`);
    return { bytes: r.bytes as number, ms: r.ms as number };
  }

  async http(host: string, port: number): Promise<void> {
    const r = await this.request({ op: 'http', host, port });
    if (!r.ok) throw new Error(`cannot serve HTTP on ${host}:${port} in ${this.ns}: ${r.error}`);
  }

  /** Sets (or, with null, removes) what the HTTP server on `port` answers at `path`. */
  async httpSet(port: number, path: string, body: string | null): Promise<void> {
    const r = await this.request({ op: 'httpSet', port, path, body });
    if (!r.ok) throw new Error(`httpSet ${path} in ${this.ns}: ${r.error}`);
  }

  async httpStop(port: number): Promise<void> {
    await this.request({ op: 'httpStop', port });
  }

  /** Requests the HTTP servers answered since the last call. */
  async httpLog(): Promise<string[]> {
    return (await this.request({ op: 'httpLog' })).log as string[];
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.pid) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
