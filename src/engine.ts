import type { TokenCredential } from '@azure/core-auth';
import { ArmInventory } from './adapters/arm-inventory';
import { createCredential } from './adapters/credential';
import { NetworkObserver } from './adapters/network-observer';
import type { CloudProfile } from './probe/clouds';
import type { ConnectToRule } from './probe/connect-to';
import type { ProbeDeps } from './probe/pipeline';

export interface EngineOptions {
  readonly cloud: CloudProfile;
  readonly dnsServers: readonly string[];
  readonly connectTo: readonly ConnectToRule[];
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly credential?: TokenCredential;
}

/** The composition root shared by the CLI and the triggers: real ARM, real DNS, real TLS. */
export function createProbeDeps(options: EngineOptions): ProbeDeps {
  return {
    inventory: new ArmInventory({ credential: options.credential ?? createCredential(options.env as NodeJS.ProcessEnv), cloud: options.cloud }),
    observer: new NetworkObserver({
      dnsServers: options.dnsServers,
      connectTo: options.connectTo,
      timeoutMs: options.timeoutMs,
      env: options.env,
    }),
  };
}
