/**
 * The output directory belongs to dx-privatelink: every synth replaces it
 * whole. So the tool only ever replaces a directory it created itself (it
 * carries a marker file written at synth) or an empty one, and refuses any
 * path where replacing would lose a user's files: a file, the current
 * directory or one of its parents, the directory holding the config, a
 * repository root. The checks run on the real path (symbolic links
 * followed), before anything is read or written.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';

/** Written into every output directory at synth; its absence protects a directory. */
export const OUTPUT_MARKER = '.dx-privatelink-output';

const MARKER_FIRST_LINE = 'dx-privatelink output directory';

/** The marker's text. */
export function markerText(configFile: string): string {
  return (
    `${MARKER_FIRST_LINE}: written by every synth and replaced whole by the next one.\n` +
    `Do not keep your own files here. Config: ${configFile}\n`
  );
}

/** A bad --out value: a usage error (exit 2). */
export class OutputDirError extends Error {
  constructor(
    readonly given: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`--out ${given}: ${problem}; ${fix}`);
    this.name = 'OutputDirError';
  }
}

export interface OutputDirContext {
  /** Relative paths are resolved from here. @default process.cwd() */
  readonly cwd?: string;
  /** The config file being synthesized: never overwritten, never inside the output. */
  readonly configFile?: string;
  /** The dx-privatelink checkout itself: never the output. */
  readonly toolRoot?: string;
}

/** Names offered for a new output directory, in order. */
const CANDIDATES = ['cdktf.out', 'dxpl.out', 'dx-privatelink.out'];

/**
 * The fix "name a new directory such as X", where X (relative to `cwd`) is
 * not the refused `target` and is free: missing, empty, or one of ours.
 */
function newDirectory(cwd: string | undefined, target?: string): string {
  const free = (name: string) => {
    if (cwd === undefined) return name === CANDIDATES[0];
    const p = path.resolve(cwd, name);
    if (target !== undefined && path.resolve(target) === p) return false;
    try {
      return !existsSync(p) || (statSync(p).isDirectory() && (readdirSync(p).length === 0 || hasMarker(p)));
    } catch {
      return false;
    }
  };
  const name = CANDIDATES.find(free) ?? `dxpl-${process.pid}.out`;
  return `name a new directory such as --out ${name}`;
}

/** True when `inner` is `outer` or below it (both absolute and real). */
function within(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The path with every existing part resolved through symbolic links; parts
 * that do not exist yet are appended as written. Throws OutputDirError when
 * an existing part below the root is not a directory.
 */
function realTarget(given: string, absolute: string, cwd: string): string {
  const missing: string[] = [];
  let existing = absolute;
  while (!existsSync(existing)) {
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  const real = realpathSync(existing);
  if (missing.length > 0 && !statSync(real).isDirectory()) {
    throw new OutputDirError(given, `is inside ${existing}, which is not a directory`, newDirectory(cwd));
  }
  return path.join(real, ...missing);
}

/** process.cwd(), or an OutputDirError when the current directory was deleted (it cannot be checked against). */
function currentDirectory(outdir: string): string {
  try {
    return process.cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new OutputDirError(
      outdir,
      'cannot be checked: the current directory no longer exists (it was deleted or moved)',
      'cd into an existing directory and run again',
    );
  }
}

/** True when the directory holds a marker written by this tool. */
export function hasMarker(dir: string): boolean {
  const marker = path.join(dir, OUTPUT_MARKER);
  try {
    if (!lstatSync(marker).isFile()) return false;
    return readFileSync(marker, 'utf8').startsWith(MARKER_FIRST_LINE);
  } catch {
    return false;
  }
}

/**
 * Checks that `outdir` may be (re)placed by a synth and returns its real,
 * absolute path. Throws OutputDirError naming the problem and the fix.
 */
export function checkOutputDir(outdir: string, context: OutputDirContext = {}): string {
  if (outdir.trim() === '') throw new OutputDirError(JSON.stringify(outdir), 'is empty', newDirectory(context.cwd));
  const cwd = realpathSync(context.cwd ?? currentDirectory(outdir));
  const target = realTarget(outdir, path.resolve(cwd, outdir), cwd);
  // Only on a refusal: it looks at the candidate directories.
  const newDir = () => newDirectory(cwd, target);
  const config = context.configFile && existsSync(context.configFile) ? realpathSync(context.configFile) : undefined;

  if (config !== undefined && target === config) {
    throw new OutputDirError(outdir, 'is the config file', newDir());
  }
  const exists = existsSync(target);
  if (exists && !statSync(target).isDirectory()) {
    throw new OutputDirError(outdir, 'is a file, not a directory', newDir());
  }
  if (within(cwd, target)) {
    throw new OutputDirError(outdir, `is the current directory or one of its parents (${target})`, newDir());
  }
  if (config !== undefined && within(config, target)) {
    throw new OutputDirError(outdir, `holds the config file ${config}`, newDir());
  }
  if (context.toolRoot !== undefined && within(realpathSync(context.toolRoot), target)) {
    throw new OutputDirError(outdir, 'is a repository root (the dx-privatelink checkout) or one of its parents', newDir());
  }
  if (exists && existsSync(path.join(target, '.git'))) {
    throw new OutputDirError(outdir, 'is a repository root (it holds .git)', newDir());
  }
  if (exists && readdirSync(target).length > 0 && !hasMarker(target)) {
    throw new OutputDirError(
      outdir,
      `is an existing directory that was not created by dx-privatelink (it has no ${OUTPUT_MARKER} file)`,
      `${newDir()}, or empty or remove this one yourself`,
    );
  }
  return target;
}

/** What Terraform keeps in a stack directory between runs: providers and their lock file. */
export const TERRAFORM_WORKING_FILES = ['.terraform', '.terraform.lock.hcl'] as const;

export interface ReplaceOptions {
  /**
   * Keep stack directories that the new output no longer has, for the cdktf
   * CLI: it lists the stack directories before running the app and removes
   * the orphans itself afterwards.
   * @default false
   */
  readonly keepOrphanStacks?: boolean;
}

/** Moves into `staging` what must survive from `target`; returns the moves (to undo them). */
function carryOver(target: string, staging: string, options: ReplaceOptions): [string, string][] {
  const moves: [string, string][] = [];
  const oldStacks = path.join(target, 'stacks');
  const newStacks = path.join(staging, 'stacks');
  if (!existsSync(oldStacks) || !existsSync(newStacks)) return moves;
  const move = (from: string, to: string) => {
    renameSync(from, to);
    moves.push([from, to]);
  };
  for (const stack of readdirSync(oldStacks)) {
    const from = path.join(oldStacks, stack);
    const to = path.join(newStacks, stack);
    if (existsSync(to)) {
      for (const file of TERRAFORM_WORKING_FILES) if (existsSync(path.join(from, file))) move(path.join(from, file), path.join(to, file));
    } else if (options.keepOrphanStacks && statSync(from).isDirectory()) {
      move(from, to);
    }
  }
  return moves;
}

/**
 * Runs `write` into a fresh staging directory beside `target`, marks it,
 * carries over each stack's Terraform working files (.terraform/, the lock
 * file), then swaps it into place. On any failure the staging directory
 * (and any parent directory created for it) is removed and an existing
 * `target` is left exactly as it was. `target` comes from checkOutputDir.
 */
export function replaceOutputDir<T>(target: string, configFile: string, write: (staging: string) => T, options: ReplaceOptions = {}): T {
  const parent = path.dirname(target);
  const base = path.basename(target);
  let createdParent: string | undefined;
  let staging: string;
  try {
    createdParent = mkdirSync(parent, { recursive: true });
    staging = mkdtempSync(path.join(parent, `.${base}.staging-`));
  } catch (error) {
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
    throw new OutputDirError(
      target,
      `cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      `${newDirectory(undefined)} in a directory where you can write`,
    );
  }
  const previous = `${staging}.previous`;
  let moves: [string, string][] = [];
  let done = false;
  try {
    const result = write(staging);
    writeFileSync(path.join(staging, OUTPUT_MARKER), markerText(configFile));
    if (existsSync(target)) {
      moves = carryOver(target, staging, options);
      renameSync(target, previous);
    }
    renameSync(staging, target);
    done = true;
    return result;
  } finally {
    if (!done) {
      if (existsSync(previous) && !existsSync(target)) renameSync(previous, target);
      for (const [from, to] of moves.reverse()) if (existsSync(to)) renameSync(to, from);
    }
    rmSync(staging, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
    if (!done && createdParent) rmSync(createdParent, { recursive: true, force: true });
  }
}
