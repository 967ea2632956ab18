import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

/**
 * The Azure SDK side of the managed-identity tests, in a process of its own: @azure/identity reads
 * IDENTITY_ENDPOINT only from the environment, so the test gives this process that environment through spawn's `env`
 * and never writes its own. `node identity-sdk.js '<SdkCall[] as JSON>'` prints one SdkAnswer per call, as JSON.
 */
export type SdkCall =
  | {
      readonly kind: 'token';
      /** managed: ManagedIdentityCredential; default: DefaultAzureCredential with managedIdentityClientId. */
      readonly credential: 'managed' | 'default';
      readonly clientId?: string;
      readonly scope: string;
    }
  | {
      readonly kind: 'get-vault';
      readonly clientId: string;
      readonly armUrl: string;
      readonly subscriptionId: string;
      readonly resourceGroup: string;
      readonly name: string;
    };

export type SdkAnswer =
  | { readonly ok: true; readonly token?: string; readonly expiresOnTimestamp?: number; readonly name?: string }
  | { readonly ok: false; readonly isError: boolean; readonly message: string };

function credentialFor(call: { credential: 'managed' | 'default'; clientId?: string }): TokenCredential {
  if (call.credential === 'default')
    return new DefaultAzureCredential(call.clientId ? { managedIdentityClientId: call.clientId } : {});
  return new ManagedIdentityCredential(call.clientId ? { clientId: call.clientId } : {});
}

async function answer(call: SdkCall): Promise<SdkAnswer> {
  try {
    if (call.kind === 'token') {
      const token = await credentialFor(call).getToken(call.scope);
      if (!token) return { ok: false, isError: false, message: 'no token' };
      return { ok: true, token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
    }
    const client = new KeyVaultManagementClient(
      new ManagedIdentityCredential({ clientId: call.clientId }),
      call.subscriptionId,
      { endpoint: call.armUrl, credentials: { scopes: [`${call.armUrl}/.default`] } },
    );
    return { ok: true, name: (await client.vaults.get(call.resourceGroup, call.name)).name ?? '' };
  } catch (error) {
    return { ok: false, isError: error instanceof Error, message: error instanceof Error ? error.message : '' };
  }
}

async function main(arg: string | undefined): Promise<void> {
  const answers: SdkAnswer[] = [];
  // In order: a test reads the identity endpoint's request log after each call.
  for (const call of JSON.parse(arg ?? '[]') as SdkCall[]) answers.push(await answer(call));
  await new Promise<void>((done) => process.stdout.write(JSON.stringify(answers), () => done()));
}

if (require.main === module) {
  main(process.argv[2]).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `identity-sdk: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
