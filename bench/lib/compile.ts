/**
 * Precompiles the floor to plain CommonJS under `outDir`, with the project's
 * compiler options and no source maps, so it is timed without the tsx
 * loader, like the main job's own build in dist/ (npm run build). Transpile
 * only: `npm run typecheck` checks types. Packages resolve from the
 * project's node_modules because `outDir` is inside the project.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** What is compiled, relative to the project root. */
export const COMPILED = ['bench/floor.ts'];

export function compileProject(root: string, outDir: string): void {
  const options = compilerOptions(root);
  rmSync(outDir, { recursive: true, force: true });
  for (const rel of COMPILED) {
    const file = path.join(root, rel);
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
    const target = path.join(outDir, rel.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configFile = path.join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  if (read.error) throw new Error(`cannot read ${configFile}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
  return {
    ...parsed.options,
    noEmit: false,
    incremental: false,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
    module: ts.ModuleKind.CommonJS,
  };
}
