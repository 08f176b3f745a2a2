/**
 * Fixtures built once, on first use, and shared by every test file and
 * worker that asks: the plans of the example config and the state its first
 * apply leaves. Nothing is built for a test file that does not ask.
 *
 * A fixture is a directory named by a key: a hash of what it is built from
 * (the synthesized JSON, the support code that plans it, terraform and the
 * provider). It is kept between runs in node_modules/.cache/dxpl-fixtures
 * (DXPL_FIXTURE_CACHE=off keeps it in the run's work directory only), so a
 * run after an edit that changes no stack reuses the plans. A fixture whose
 * build recorded an error (a `*.error` file) is never kept between runs.
 *
 * Two workers asking at once: the first takes a lock (a directory, created
 * atomically) and builds; the others wait for it.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './cli';

const DONE = '.done';

function cacheRoot(): string | undefined {
  if (process.env.DXPL_FIXTURE_CACHE === 'off') return undefined;
  return process.env.DXPL_FIXTURE_CACHE || path.join(ROOT, 'node_modules', '.cache', 'dxpl-fixtures');
}

/** A hash of files and directories (recursively, without what Terraform writes there) and strings. */
export function fixtureKey(parts: readonly (string | { path: string })[]): string {
  const hash = createHash('sha256');
  const add = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        // What Terraform and the tests write beside the synthesized files: .terraform*, the offline apply's
        // .dxpl-apply, plan files, overrides, state.
        if (entry.startsWith('.') || entry === 'plan.bin' || entry.endsWith('_override.tf.json') || entry.includes('.tfstate')) continue;
        add(path.join(p, entry));
      }
    } else {
      hash.update(`file ${path.basename(p)} ${st.size}\n`);
      hash.update(readFileSync(p));
    }
  };
  for (const part of parts) {
    if (typeof part === 'string') hash.update(`text ${part}\n`);
    else add(part.path);
  }
  return hash.digest('hex').slice(0, 16);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** rename, or copy and remove across file systems (the cache and /tmp). */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    cpSync(from, to, { recursive: true });
    rmSync(from, { recursive: true, force: true });
  }
}

function hasErrors(dir: string): boolean {
  return readdirSync(dir).some((f) => f.endsWith('.error'));
}

/**
 * The directory of fixture `name` for `key`, built by `build(dir)` when no
 * run has built it yet. `build` writes its files into the directory it is
 * given; errors belong in `*.error` files there (readers rethrow them).
 */
export function sharedFixture(name: string, key: string, workDir: string, build: (dir: string) => void): string {
  const cache = cacheRoot();
  const kept = cache && path.join(cache, `${name}-${key}`);
  const local = path.join(workDir, 'fixtures', `${name}-${key}`);
  for (;;) {
    for (const dir of [kept, local]) if (dir && existsSync(path.join(dir, DONE))) return dir;
    const lock = `${local}.lock`;
    mkdirSync(path.dirname(lock), { recursive: true });
    try {
      mkdirSync(lock);
    } catch {
      // Another worker builds it: wait, unless that worker died. (The lock may be gone by now, or have no pid yet.)
      let owner = 0;
      try {
        owner = Number(readFileSync(path.join(lock, 'pid'), 'utf8')) || 0;
      } catch {
        owner = 0;
      }
      if (owner && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      sleep(250);
      continue;
    }
    writeFileSync(path.join(lock, 'pid'), String(process.pid));
    const staging = `${kept ?? local}.building-${process.pid}`;
    try {
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      build(staging);
      writeFileSync(path.join(staging, DONE), `${new Date().toISOString()}\n`);
      const target = kept && !hasErrors(staging) ? kept : local;
      rmSync(target, { recursive: true, force: true });
      move(staging, target);
      return target;
    } finally {
      rmSync(staging, { recursive: true, force: true });
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
