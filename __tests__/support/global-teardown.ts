import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const work = process.env.DXPL_TEST_WORK;
  if (work && !process.env.DXPL_KEEP_TEST_WORK) rmSync(work, { recursive: true, force: true });
}
