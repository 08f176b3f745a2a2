/**
 * Imported first by main.ts. tsx turns on source-map support, which makes
 * Node parse the inline source maps of cdktf and the provider bindings
 * (most of their bytes): about a quarter of the main job's time and 20 MB.
 * Stack traces of unexpected failures then point into transpiled code;
 * run with `node --enable-source-maps` to get them mapped.
 */
if (!process.execArgv.includes('--enable-source-maps')) process.setSourceMapsEnabled(false);
