import type { AzureDnsSummary } from './report';
import { azureDnsServes } from './resolution';
import type { ExpectedState, ObservedState, Site } from './types';

/**
 * Azure DNS (168.63.129.16), asked directly, means something only where this VNet's resolution goes through it: the
 * VNet uses Azure-provided DNS, or the zone is linked to it. Elsewhere (custom DNS in a spoke deliberately not
 * linked) it answers the public chain by design. Where the VNet is not known, it is asked as before. The first
 * timeout stops the questions for the rest of the run: if 168.63.129.16 cannot be reached, each vault would
 * otherwise wait one timeout, and hundreds of vaults overrun the deadline.
 */
export class AzureDnsGate {
  private asked = 0;
  private skipped = 0;
  private stoppedBy: string | undefined;

  constructor(private readonly server: string) {}

  /** The server to ask for this vault, or undefined to skip it. */
  ask(expected: ExpectedState, site: Site | undefined, zoneName: string): string | undefined {
    if (this.stoppedBy) {
      this.skipped++;
      return undefined;
    }
    if (site && azureDnsServes(site, expected.zones ?? [], zoneName) === false) {
      this.skipped++;
      return undefined;
    }
    this.asked++;
    return this.server;
  }

  /** Notes a timeout of Azure DNS in an observation. */
  record(observed: ObservedState): void {
    const timeout = (observed.customDns ?? []).find((a) => a.kind === 'azure' && a.error?.kind === 'TIMEOUT');
    if (timeout && !this.stoppedBy)
      this.stoppedBy = `${timeout.server} did not answer within the timeout (${timeout.error?.code ?? 'TIMEOUT'})`;
  }

  summary(): AzureDnsSummary {
    return {
      asked: this.asked,
      skipped: this.skipped,
      stopped: this.stoppedBy !== undefined,
      ...(this.stoppedBy ? { reason: this.stoppedBy } : {}),
    };
  }
}
