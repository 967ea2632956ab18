import { checkDataplane, preferredEndpoints } from '../../src/probe/checks/dataplane';
import { judgeArrival, parseNetworkInfo } from '../../src/probe/network-info';
import type { DataplaneObservation, ExpectedState, Site } from '../../src/probe/types';
import { endpoint, expected, healthyPlane, input, observed, peId, SUB } from './builders';

// Each form of x-ms-keyvault-network-info, verbatim as published (see test/lab/FACTS.md for the sources).
const FORMS = {
  privateLink:
    'conn_type=PrivateLink;private_endpoint=/subscriptions/45bddcd7-c7d9-4492-b899-31f78c4cf368/resourceGroups/rg-platform-baseline/providers/Microsoft.Network/privateEndpoints/pe-kv-plat-dev-45bddcd7-001;addr=10.10.1.5;act_addr_fam=InterNetworkV6;',
  publicRecording: 'conn_type=Ipv4;addr=72.68.182.20;act_addr_fam=InterNetwork;',
  legacyDoc: 'addr=10.4.5.6;act_addr_fam=InterNetworkV6;',
  legacyPublic: 'addr=131.107.174.199;act_addr_fam=InterNetwork;',
  bare: 'addr=10.4.5.6',
} as const;

describe('parseNetworkInfo: every published form of x-ms-keyvault-network-info', () => {
  it.each([
    [
      'private link, with the endpoint',
      FORMS.privateLink,
      {
        connType: 'PrivateLink',
        privateEndpointId:
          '/subscriptions/45bddcd7-c7d9-4492-b899-31f78c4cf368/resourceGroups/rg-platform-baseline/providers/Microsoft.Network/privateEndpoints/pe-kv-plat-dev-45bddcd7-001',
        clientAddress: '10.10.1.5',
        addressFamily: 'InterNetworkV6',
      },
    ],
    [
      'public (SDK recording)',
      FORMS.publicRecording,
      { connType: 'Ipv4', clientAddress: '72.68.182.20', addressFamily: 'InterNetwork' },
    ],
    [
      'older form without conn_type (diagnostics guide)',
      FORMS.legacyDoc,
      { clientAddress: '10.4.5.6', addressFamily: 'InterNetworkV6' },
    ],
    [
      'older form, public caller',
      FORMS.legacyPublic,
      { clientAddress: '131.107.174.199', addressFamily: 'InterNetwork' },
    ],
    ['bare addr (Managed HSM)', FORMS.bare, { clientAddress: '10.4.5.6' }],
  ])('%s', (_name, header, want) => {
    const { fields: _fields, ...parsed } = parseNetworkInfo(header);
    expect(parsed).toEqual(want);
  });

  it('keys are case-insensitive and unknown keys are kept', () => {
    expect(parseNetworkInfo('Conn_Type=PrivateLink; ADDR=10.0.0.4 ;x=1').fields).toEqual({
      conn_type: 'PrivateLink',
      addr: '10.0.0.4',
      x: '1',
    });
  });
});

describe('judgeArrival: which rule decided', () => {
  it.each([
    [FORMS.privateLink, [], true, 'conn_type'],
    [FORMS.publicRecording, [], false, 'conn_type'],
    ['conn_type=Ipv4;addr=10.1.2.3;act_addr_fam=InterNetwork;', [], false, 'conn_type'],
    [FORMS.legacyDoc, [], true, 'rfc1918'],
    [FORMS.legacyPublic, [], false, 'public'],
    [FORMS.bare, [], true, 'rfc1918'],
    ['addr=100.72.0.9', [], true, 'rfc6598'],
    ['addr=fd12:3456::4;act_addr_fam=InterNetworkV6;', [], true, 'ipv6-ula'],
    ['addr=::ffff:10.1.2.3;act_addr_fam=InterNetworkV6;', [], true, 'rfc1918'],
    ['addr=52.10.0.4', ['52.10.0.0/16'], true, 'site-prefix'],
    ['act_addr_fam=InterNetwork;', [], false, 'no-addr'],
  ] as const)('%s with site prefixes %j: private link %s by %s', (header, prefixes, privateLink, rule) => {
    expect(judgeArrival(parseNetworkInfo(header), prefixes)).toEqual({ privateLink, rule });
  });

  it('no header: not private link', () => {
    expect(judgeArrival(undefined, [])).toEqual({ privateLink: false, rule: 'no-header' });
  });
});

const plane = (o: Partial<DataplaneObservation> & { networkInfo?: string }): DataplaneObservation => ({
  address: '10.0.1.4',
  status: 200,
  tcpConnectionForbidden: false,
  timings: { totalMs: 1 },
  ...o,
});
const healthy = expected([endpoint('pe1', '10.0.1.4')]);
const codes = (
  exp: ExpectedState | undefined,
  dataplane: DataplaneObservation[],
  extra: Partial<ReturnType<typeof observed>> = {},
  site?: Site,
): string[] =>
  checkDataplane(input(exp, { ...observed({ dataplane }), ...extra }, site)).map((f) => `${f.code}:${f.severity}`);
const rbac = {
  path: '/secrets',
  status: 403,
  errorCode: 'Forbidden',
  innerErrorCode: 'ForbiddenByRbac',
  tcpConnectionForbidden: false,
};
const OTHER_PE = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-other-vault`;

describe('checkDataplane: healthy answers in every form raise nothing', () => {
  it.each([
    [
      'private link form, own endpoint',
      `conn_type=PrivateLink;private_endpoint=${peId('pe1')};addr=10.0.0.4;act_addr_fam=InterNetworkV6;`,
    ],
    ['older form, private caller', FORMS.legacyDoc],
    ['bare addr, private caller', FORMS.bare],
  ])('%s', (_name, networkInfo) => {
    expect(codes(healthy, [plane({ networkInfo, authenticated: rbac })])).toEqual([]);
    expect(codes(healthy, [plane({ networkInfo })])).toEqual([]);
  });

  it('an access-policy vault that refuses the list: the path was accepted', () => {
    expect(
      codes(healthy, [
        plane({ networkInfo: FORMS.legacyDoc, authenticated: { ...rbac, innerErrorCode: 'AccessDenied' } }),
      ]),
    ).toEqual([]);
  });

  it('a Managed HSM that sends no network header: nothing to judge (a vault without it is still flagged)', () => {
    const hsm: ExpectedState = { ...healthy, vault: { ...healthy.vault, kind: 'managedHsm' } };
    expect(codes(hsm, [plane({ authenticated: rbac })])).toEqual([]);
    expect(codes(healthy, [plane({ authenticated: rbac })])).toEqual(['DATAPLANE_NOT_PRIVATE:error']);
  });

  it('a public caller in the older form over a site prefix counts as private', () => {
    // The endpoint lies in the site's address space: the site expects private link, and 52.10.0.4 is inside it.
    const site: Site = {
      vnetId: '/v',
      vnet: { id: '/v', addressPrefixes: ['10.0.0.0/16', '52.10.0.0/16'], dnsServers: [], peerings: [] },
    };
    const legacy = [plane({ networkInfo: 'addr=52.10.0.4;act_addr_fam=InterNetwork;' })];
    expect(codes(healthy, legacy, {}, site)).toEqual([]);
    expect(codes(healthy, legacy)).toEqual(['DATAPLANE_NOT_PRIVATE:error']);
  });
});

describe('checkDataplane: what each answer means', () => {
  it('public caller in the older form: not private, the rule recorded', () => {
    const [f] = checkDataplane(input(healthy, observed({ dataplane: [plane({ networkInfo: FORMS.legacyPublic })] })));
    expect(f).toMatchObject({
      code: 'DATAPLANE_NOT_PRIVATE',
      severity: 'error',
      details: { rule: 'public', clientAddress: '131.107.174.199' },
    });
  });

  it('public form: not private, decided by conn_type', () => {
    const [f] = checkDataplane(
      input(healthy, observed({ dataplane: [plane({ networkInfo: FORMS.publicRecording, authenticated: rbac })] })),
    );
    expect(f).toMatchObject({ code: 'DATAPLANE_NOT_PRIVATE', details: { rule: 'conn_type', connType: 'Ipv4' } });
  });

  it("landed on another resource's endpoint, no token: an error that names the endpoint and its owner", () => {
    const exp: ExpectedState = {
      ...healthy,
      addressOwners: [
        {
          address: '10.0.9.9',
          privateEndpointId: OTHER_PE,
          networkInterfaceId: 'nic',
          targetResourceIds: ['/subscriptions/x/vaults/kv-other'],
        },
      ],
    };
    const header = `conn_type=PrivateLink;private_endpoint=${OTHER_PE};addr=10.0.0.4;act_addr_fam=InterNetworkV6;`;
    const [f, ...rest] = checkDataplane(
      input(exp, observed({ dataplane: [plane({ address: '10.0.9.9', networkInfo: header })] })),
    );
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE',
      severity: 'error',
      resourceId: OTHER_PE,
      details: { privateEndpointId: OTHER_PE, otherResourceIds: ['/subscriptions/x/vaults/kv-other'] },
    });
    expect(f?.message).toContain('kv-other');
  });

  it('landed elsewhere and the authenticated read reproduces the 403: one finding, naming the endpoint', () => {
    const header = `conn_type=PrivateLink;private_endpoint=${OTHER_PE};addr=10.0.0.4;act_addr_fam=InterNetworkV6;`;
    const tcp = {
      path: '/secrets',
      status: 403,
      errorCode: 'Forbidden',
      errorMessage: 'This TCP connection does not allow access to kv1.vault.azure.net.',
      tcpConnectionForbidden: true,
    };
    const found = checkDataplane(
      input(
        healthy,
        observed({ dataplane: [plane({ address: '10.0.9.9', networkInfo: header, authenticated: tcp })] }),
      ),
    );
    expect(found.map((f) => f.code)).toEqual(['DATAPLANE_TCP_CONNECTION_FORBIDDEN']);
    expect(found[0]).toMatchObject({
      resourceId: OTHER_PE,
      details: { request: 'authenticated', privateEndpointId: OTHER_PE },
    });
    expect(found[0]?.command).toContain(
      'Authorization: Bearer $(az account get-access-token --resource https://vault.azure.net',
    );
  });

  it('ForbiddenByFirewall and ForbiddenByConnection keep their inner code', () => {
    for (const inner of ['ForbiddenByFirewall', 'ForbiddenByConnection']) {
      const [f, ...rest] = checkDataplane(
        input(
          healthy,
          observed({
            dataplane: [
              plane({ networkInfo: FORMS.publicRecording, authenticated: { ...rbac, innerErrorCode: inner } }),
            ],
          }),
        ),
      );
      expect(rest).toEqual([]);
      expect(f).toMatchObject({
        code: 'DATAPLANE_FORBIDDEN',
        details: { innerErrorCode: inner, request: 'authenticated', clientAddress: '72.68.182.20' },
      });
    }
  });

  it('401 after a token was sent: a warning of its own, and the header is still judged', () => {
    const a401 = {
      path: '/secrets',
      status: 401,
      errorCode: 'Unauthorized',
      errorMessage: 'AKV10032: Invalid issuer.',
      tcpConnectionForbidden: false,
    };
    expect(codes(healthy, [plane({ networkInfo: FORMS.legacyDoc, authenticated: a401 })])).toEqual([
      'DATAPLANE_TOKEN_REJECTED:warning',
    ]);
    expect(codes(healthy, [plane({ networkInfo: FORMS.publicRecording, authenticated: a401 })])).toEqual([
      'DATAPLANE_TOKEN_REJECTED:warning',
      'DATAPLANE_NOT_PRIVATE:error',
    ]);
  });

  it('TLS that fails verification: its own finding with subject and issuer, never unreachable', () => {
    const o = plane({
      status: undefined,
      failure: { phase: 'tls', code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'x' },
      tls: {
        authorized: false,
        error: 'SELF_SIGNED_CERT_IN_CHAIN',
        subject: 'CN=kv1.vault.azure.net',
        issuer: 'O=Contoso TLS Inspection, CN=inspect',
      },
    });
    const [f] = checkDataplane(input(healthy, observed({ dataplane: [o] })));
    expect(f).toMatchObject({
      code: 'DATAPLANE_TLS_UNTRUSTED',
      severity: 'error',
      details: { subject: 'CN=kv1.vault.azure.net', issuer: 'O=Contoso TLS Inspection, CN=inspect' },
    });
    expect(f?.command).toContain('openssl s_client -connect 10.0.1.4:443 -servername kv1.vault.azure.net');
  });

  it('no token: one warning per vault, whatever the number of addresses', () => {
    const auth = {
      mode: 'unavailable' as const,
      audience: 'https://vault.azure.net',
      error: 'ManagedIdentityCredential: no token',
    };
    expect(codes(healthy, [healthyPlane('10.0.1.4'), healthyPlane('10.0.1.4')], { dataplaneAuth: auth })).toEqual([
      'DATAPLANE_AUTH_UNAVAILABLE:warning',
    ]);
  });

  it("its own endpoint, but not the one in this site's VNet: a warning", () => {
    const local = {
      ...endpoint('pe1', '10.0.1.4'),
      endpoint: {
        ...endpoint('pe1', '10.0.1.4').endpoint!,
        subnetId: '/subscriptions/s/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/vnet-probe/subnets/e',
      },
    };
    const remote = endpoint('pe2', '10.1.1.4');
    const exp = expected([local, remote]);
    const vnetId = '/subscriptions/s/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/vnet-probe';
    const site: Site = { vnetId, vnet: { id: vnetId, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [] } };
    expect([...preferredEndpoints(exp, site, '10.1.1.4')]).toEqual([peId('pe1').toLowerCase()]);
    expect(codes(exp, [healthyPlane('10.1.1.4', 'pe2')], {}, site)).toEqual([
      'DATAPLANE_ENDPOINT_NOT_PREFERRED:warning',
    ]);
    expect(codes(exp, [healthyPlane('10.0.1.4', 'pe1')], {}, site)).toEqual([]);
  });

  it('without a known site VNet, the endpoint that owns the address is the one to use', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.1.1.4')]);
    expect(codes(exp, [healthyPlane('10.1.1.4', 'pe2')])).toEqual([]);
    expect(codes(exp, [healthyPlane('10.1.1.4', 'pe1')])).toEqual(['DATAPLANE_ENDPOINT_NOT_PREFERRED:warning']);
  });
});
