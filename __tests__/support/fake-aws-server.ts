/**
 * The fake AWS endpoint (fake-aws.ts) as its own process, for tests that run
 * terraform synchronously: a spawnSync'd plan blocks the test's event loop,
 * so an in-process server could not answer the provider's data source reads.
 * Prints its URL on the first line of stdout; stops on SIGTERM.
 */
import { fakeSubnetOf, startFakeAws } from './fake-aws';

void startFakeAws({ defaultSubnet: fakeSubnetOf }).then((aws) => {
  process.stdout.write(`${aws.url}\n`);
  process.on('SIGTERM', () => void aws.close().then(() => process.exit(0)));
});
