import { Testing } from 'cdktf';

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...
Testing.setupJest();

// DXPL_CPU_LOG=<dir>: each test file writes the CPU it cost (this worker and
// the children it reaped: terraform, its provider plugins, the netns agents)
// and its wall time to <dir>/<file>.json. bench/run.ts sums them per layer.
const cpuLog = process.env.DXPL_CPU_LOG;
if (cpuLog) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { cpuSeconds, writeCpuRecord } = require('./cpu-log') as typeof import('./cpu-log');
  let start = { cpu: 0, wall: 0 };
  beforeAll(() => {
    start = { cpu: cpuSeconds(), wall: Date.now() };
  });
  afterAll(() => writeCpuRecord(cpuLog, expect.getState().testPath ?? 'unknown', start));
}
