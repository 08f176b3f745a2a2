/**
 * The README's construct example, run in this process: its ```ts block,
 * transpiled, with `dx-privatelink` resolved to this checkout's constructs
 * and the app's output directory redirected (its `new App()` would write
 * cdktf.out in the working directory).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as ts from 'typescript';
import * as cdktf from 'cdktf';
import { ROOT } from './cli';

export const CONSTRUCT_EXAMPLE_HEADING = '## Use the constructs in your own cdktf app';

/** The first ```ts block after `heading` in README.md. */
export function readmeTsBlock(heading: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(heading);
  if (at < 0) throw new Error(`README.md has no "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README.md has no ts block after "${heading}"`);
  return block[1];
}

/** Runs the README's construct example; its stacks are written to `outdir`. */
export function runReadmeExample(outdir: string): void {
  const { outputText } = ts.transpileModule(readmeTsBlock(CONSTRUCT_EXAMPLE_HEADING), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  });
  class App extends cdktf.App {
    constructor(options: cdktf.AppConfig = {}) {
      super({ ...options, outdir });
    }
  }
  const modules: Record<string, unknown> = {
    // cdktf with its App replaced (an own property shadows the inherited getter)
    cdktf: Object.create(cdktf, { App: { value: App, enumerable: true } }),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    'dx-privatelink': require('../../constructs'),
  };
  const load = (name: string) => {
    if (!(name in modules)) throw new Error(`the README example imports ${name}: add it to runReadmeExample`);
    return modules[name];
  };
  const run = vm.runInThisContext(`(function (require, exports, module) {\n${outputText}\n})`) as (
    require: (name: string) => unknown,
    exports: object,
    module: object,
  ) => void;
  const scriptExports = {};
  run(load, scriptExports, { exports: scriptExports });
}
