/**
 * Imported by main.ts, after no-source-maps.ts. cdktf captures a full stack
 * trace (Error.stackTraceLimit = Infinity) for every token it creates, only
 * to say where a token came from if resolving it fails later: about 700
 * captures for the example (35 ms, a tenth of the synth) and 10 000 at 1000
 * forwards × 100 accounts (0.38 s). The main job never shows them (its errors
 * name config fields), so it skips them; set DXPL_TOKEN_STACK_TRACES=1 to
 * keep them when debugging a synthesis failure. The construct library
 * itself leaves cdktf as it is. cdktf is archived at 0.21.0, so the private
 * module this replaces a function of will not move.
 */

// require, not import: a namespace import may be a read-only copy (tsx, esbuild); this must change cdktf's own exports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: unknown) => string[] };
if (process.env.DXPL_TOKEN_STACK_TRACES !== '1') stackTrace.captureStackTrace = () => [];
