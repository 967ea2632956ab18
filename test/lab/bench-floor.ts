import { promises as dns } from 'node:dns';
import * as tls from 'node:tls';

/**
 * The bench's CPU floor: the network work of a run done bare, with Node's own clients and no probe logic, in the
 * same process and at the same concurrency. As many full TLS handshakes with the lab's ARM as the probe's run made
 * (the ARM emulator counts them; each on a new connection, no session reuse) and three DNS queries per vault
 * to the lab's DNS (the vault name's CNAME, its A through the chain, the privatelink name's A: the probe's own
 * three round trips). On 2 shared cores this, not ARM latency, is what a 5,000-vault batched run waits for.
 */
export interface CpuFloor {
  readonly tlsHandshakes: number;
  readonly dnsQueries: number;
  readonly ms: number;
}

async function pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function handshake(url: URL): Promise<void> {
  return new Promise((done, fail) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), servername: 'localhost' }, () => {
      socket.destroy();
      done();
    });
    socket.once('error', fail);
  });
}

/** Measures the floor for `vaults` vault names (`name(i)`) and `tlsHandshakes` handshakes. */
export async function measureCpuFloor(options: {
  readonly armUrl: string;
  readonly dnsServer: string;
  readonly tlsHandshakes: number;
  readonly vaults: number;
  readonly name: (i: number) => string;
  readonly concurrency: number;
}): Promise<CpuFloor> {
  const resolver = new dns.Resolver({ timeout: 5000, tries: 2 });
  resolver.setServers([options.dnsServer]);
  const url = new URL(options.armUrl);
  const t0 = performance.now();
  await Promise.all([
    pool(options.tlsHandshakes, options.concurrency, () => handshake(url)),
    pool(options.vaults, options.concurrency, async (i) => {
      const host = `${options.name(i)}.vault.azure.net`;
      await resolver.resolveCname(host);
      await resolver.resolve4(host);
      await resolver.resolve4(`${options.name(i)}.privatelink.vaultcore.azure.net`);
    }),
  ]);
  return {
    tlsHandshakes: options.tlsHandshakes,
    dnsQueries: 3 * options.vaults,
    ms: Math.round(performance.now() - t0),
  };
}
