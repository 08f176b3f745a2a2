/**
 * Diagnostic preload for bench/run.ts: `node --import tsx --import ./bench/no-source-maps.ts main.ts`
 * runs the main job through tsx with source-map support switched off again
 * before cdktf and the provider modules load, to show what source maps cost.
 */
process.setSourceMapsEnabled(false);
