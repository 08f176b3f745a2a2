/** Starts fake-aws-server.ts in a child process (see there for why). */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface FakeAwsProcess {
  readonly url: string;
  close(): Promise<void>;
}

export function startFakeAwsProcess(): Promise<FakeAwsProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fake-aws-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake AWS process exited (${code}) before it listened`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n');
      if (line.length < 2) return;
      child.removeAllListeners('exit');
      resolve({
        url: line[0].trim(),
        close: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
