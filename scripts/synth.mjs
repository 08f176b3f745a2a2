#!/usr/bin/env node
// The main job in a checkout: runs the built JavaScript (dist/main.js),
// rebuilding first when any source is newer than the last build, so an edit
// never runs stale code. Installed packages run dist/main.js directly (bin).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ROOT, ensureFreshBuild } from './fresh-build.mjs';

ensureFreshBuild();
const { main, CHECKOUT } = createRequire(import.meta.url)(path.join(ROOT, 'dist', 'main.js'));
// A checkout: the bundled example is the config when none is given.
process.exitCode = main(process.argv.slice(2), CHECKOUT);
