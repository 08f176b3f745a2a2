/**
 * Precompiles the app (main.ts, config/, constructs/) and the floor to plain
 * CommonJS under `outDir`, with the project's compiler options and no source
 * maps, so the same code can be timed without the tsx loader. Transpile
 * only: `npm run typecheck` checks types. Non-TypeScript files next to the
 * sources (example.yaml, the NAT boot template) are copied, because the code
 * finds them through __dirname. Packages resolve from the project's
 * node_modules because `outDir` is inside the project.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** What is compiled, relative to the project root: files and whole directories. */
export const COMPILED = ['main.ts', 'config', 'constructs', 'bench/floor.ts'];

export function compileProject(root: string, outDir: string): void {
  const options = compilerOptions(root);
  rmSync(outDir, { recursive: true, force: true });
  for (const entry of COMPILED) {
    for (const file of walk(path.join(root, entry))) {
      const rel = path.relative(root, file);
      if (file.endsWith('.d.ts')) continue;
      if (file.endsWith('.ts')) {
        const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
        write(path.join(outDir, rel.replace(/\.ts$/, '.js')), outputText);
      } else {
        mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
        copyFileSync(file, path.join(outDir, rel));
      }
    }
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

function walk(entry: string): string[] {
  return statSync(entry).isDirectory() ? readdirSync(entry).flatMap((name) => walk(path.join(entry, name))) : [entry];
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
