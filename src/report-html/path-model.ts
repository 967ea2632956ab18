import { isPrivateAddress } from '../probe/ip';
import type { ReportedFinding, VaultResult } from '../probe/report';
import type { PathNode, PathRow, ResolutionPath, VaultPaths } from './path-types';

export type { PathNode, PathRow, ResolutionPath, VaultPaths } from './path-types';

/** The last segment of an ARM ID: the resource's name. */
export function armName(id: string | null | undefined): string {
  if (!id) return '';
  return id.replace(/\/+$/, '').split('/').pop() ?? id;
}

/** `<vault>.vault.azure.net` → `<vault>.privatelink.vaultcore.azure.net` (and the Managed HSM and other clouds' forms). */
export function privatelinkName(host: string): string {
  const [first, second, ...rest] = host.split('.');
  if (second === 'vault') return [first, 'privatelink', 'vaultcore', ...rest].join('.');
  if (second === 'managedhsm') return [first, 'privatelink', 'managedhsm', ...rest].join('.');
  if (second === 'privatelink') return host;
  return `${first}.privatelink.${[second, ...rest].join('.')}`;
}

function detailString(f: ReportedFinding, key: string): string | undefined {
  const v = (f.details as Readonly<Record<string, unknown>>)[key];
  return typeof v === 'string' ? v : undefined;
}

function detailStrings(f: ReportedFinding, key: string): string[] {
  const v = (f.details as Readonly<Record<string, unknown>>)[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Codes of the error and warning findings that name `address`. */
function codesFor(findings: readonly ReportedFinding[], address: string): string[] {
  return [...new Set(findings.filter((f) => detailString(f, 'address') === address).map((f) => f.code))];
}

const usable = (e: VaultResult['expected'][number]): boolean =>
  e.connectionStatus === 'Approved' && (e.provisioningState === null || e.provisioningState === 'Succeeded');

function dataplaneNote(r: VaultResult, address: string): string | undefined {
  const d = r.dataplane.find((x) => x.address === address && !x.via);
  if (!d) return undefined;
  if (d.failure) return `HTTPS: ${d.failure.code}`;
  if (d.tcpConnectionForbidden) return `HTTPS: ${d.status ?? ''} TCP connection forbidden`;
  if (d.status !== undefined) return `HTTPS: ${d.status}${d.innerErrorCode ? ` ${d.innerErrorCode}` : ''}`;
  return undefined;
}

function resolverNote(r: VaultResult, address: string): string {
  const os = r.resolved.os.addresses.includes(address);
  const dns = r.resolved.dns.addresses.includes(address);
  return os && dns ? 'OS resolver and DNS' : os ? 'OS resolver only (hosts file?)' : 'DNS only';
}

/** The path this machine saw. */
export function observedPath(r: VaultResult): ResolutionPath {
  const host = r.host ?? r.vault;
  const cnameCodes = r.findings.filter((f) => f.code === 'DNS_NO_PRIVATELINK_CNAME').map((f) => f.code);
  const cnames = r.resolved.dns.cnames;
  const cname: PathNode = {
    step: 'CNAME chain',
    lines: cnames.length > 0 ? cnames : [r.resolved.dns.error ? 'no answer' : 'none'],
    bad: cnameCodes.length > 0,
    codes: cnameCodes,
    ...(r.resolved.dns.error ? { note: `DNS: ${r.resolved.dns.error}` } : {}),
  };
  const nameCodes = r.findings
    .filter((f) => f.code === 'DNS_NXDOMAIN' || f.code === 'DNS_FAILURE' || f.code === 'PRIVATELINK_HOST_IN_USE')
    .map((f) => f.code);
  const name: PathNode = { step: 'name', lines: [host], bad: nameCodes.length > 0, codes: [...new Set(nameCodes)] };
  const addresses = [...new Set([...r.resolved.os.addresses, ...r.resolved.dns.addresses])];
  const good = new Set(r.expected.filter(usable).map((e) => e.ip));
  const rows: PathRow[] = addresses.map((address) => {
    const codes = codesFor(r.findings, address);
    const own = r.expected.find((e) => e.ip === address);
    const other = r.findings.find(
      (f) => f.code === 'ENDPOINT_BELONGS_TO_OTHER_RESOURCE' && detailString(f, 'address') === address,
    );
    const note = [resolverNote(r, address), dataplaneNote(r, address)].filter(Boolean).join(' · ');
    const addressNode: PathNode = {
      step: 'address',
      lines: [address],
      note,
      bad: !good.has(address),
      codes: codes.filter((c) => !c.startsWith('ENDPOINT_')),
    };
    if (own) {
      const state = `${own.connectionStatus ?? '?'} / ${own.provisioningState ?? '?'}`;
      const ok = usable(own);
      const stateCodes = r.findings
        .filter(
          (f) =>
            (f.code === 'PE_CONNECTION_NOT_APPROVED' || f.code === 'PE_NOT_PROVISIONED') &&
            detailString(f, 'privateEndpointId') === own.privateEndpointId,
        )
        .map((f) => f.code);
      return {
        address: addressNode,
        endpoint: {
          step: 'private endpoint',
          lines: [armName(own.privateEndpointId) || 'unknown'],
          note: state,
          bad: !ok,
          codes: [...new Set(stateCodes)],
        },
        resource: { step: 'resource', lines: [r.vault], note: 'this vault', bad: false, codes: [] },
      };
    }
    if (other) {
      const others = detailStrings(other, 'otherResourceIds');
      return {
        address: addressNode,
        endpoint: {
          step: 'private endpoint',
          lines: [armName(detailString(other, 'privateEndpointId'))],
          note: 'of another resource',
          bad: true,
          codes: [other.code],
        },
        resource: {
          step: 'resource',
          lines: others.length > 0 ? others.map(armName) : ['unknown'],
          note: 'not this vault',
          bad: true,
          codes: [],
        },
      };
    }
    // DNS_PRIVATE_IP_MISMATCH and ZONE_RECORD_STALE say in words whose the address was, when ARM showed it.
    const belongsTo = r.findings
      .filter((f) => detailString(f, 'address') === address)
      .map((f) => detailString(f, 'belongsTo'))
      .find((b) => b !== undefined);
    const isPublic = !isPrivateAddress(address);
    return {
      address: addressNode,
      endpoint: {
        step: 'private endpoint',
        lines: [isPublic ? 'none: public endpoint' : 'none known'],
        ...(belongsTo ? { note: belongsTo } : {}),
        bad: true,
        codes: [],
      },
      resource: {
        step: 'resource',
        lines: [isPublic ? 'Key Vault public front end' : 'unknown'],
        bad: true,
        codes: [],
      },
    };
  });
  // The proxied path clients take when HTTPS_PROXY carries vault traffic: client → proxy → the vault's answer.
  for (const d of r.dataplane.filter((x) => x.via)) {
    const codes = [
      ...new Set(
        r.findings
          .filter((f) => detailString(f, 'address') === d.address || f.code === 'PROXY_IN_PATH')
          .map((f) => f.code),
      ),
    ];
    const answer = d.failure
      ? `HTTPS: ${d.failure.code}`
      : d.tcpConnectionForbidden
        ? `HTTPS: ${d.status ?? ''} TCP connection forbidden`
        : `HTTPS: ${d.status ?? '?'}`;
    const reachedBy = /(?:^|;)addr=([^;]+)/.exec(d.networkInfo ?? '')?.[1];
    rows.push({
      address: {
        step: 'proxy',
        lines: [d.via ?? ''],
        note: answer,
        bad: codes.some((c) => errorCodes(r).has(c)),
        codes,
      },
      endpoint: {
        step: 'private endpoint',
        lines: [reachedBy ? `reached at ${reachedBy}` : 'unknown'],
        note: 'as the vault saw it',
        bad: false,
        codes: [],
      },
      resource: { step: 'resource', lines: [r.vault], bad: false, codes: [] },
    });
  }
  if (rows.length === 0) {
    const error = r.resolved.os.error ?? r.resolved.dns.error ?? 'nothing resolved';
    rows.push({
      address: { step: 'address', lines: ['none'], note: error, bad: r.host !== null, codes: [...new Set(nameCodes)] },
      endpoint: { step: 'private endpoint', lines: ['-'], bad: false, codes: [] },
      resource: { step: 'resource', lines: ['-'], bad: false, codes: [] },
    });
  }
  return { name, cname, rows };
}

function errorCodes(r: VaultResult): Set<string> {
  return new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.code));
}

function withCodes(node: PathNode, codes: readonly string[], errors: Set<string>): PathNode {
  const all = [...new Set([...node.codes, ...codes])];
  const bad = node.bad || all.some((c) => errors.has(c));
  return { ...node, codes: all, bad, warn: !bad && all.length > 0 };
}

/**
 * Every finding shows on the drawing: a code no step carries yet goes where it points, by its family — DNS and
 * zones on the CNAME chain, endpoints and connections on the endpoint, the rest (ARM, deadline, data plane with no
 * address drawn) on the name.
 */
function placeRemaining(r: VaultResult, path: ResolutionPath, elsewhere: ResolutionPath): ResolutionPath {
  const errors = errorCodes(r);
  const nodes = (p: ResolutionPath): PathNode[] => [
    p.name,
    p.cname,
    ...p.rows.flatMap((x) => [x.address, x.endpoint, x.resource]),
  ];
  const placed = new Set([...nodes(path), ...nodes(elsewhere)].flatMap((n) => n.codes));
  const left = [...new Set(r.findings.map((f) => f.code))].filter((c) => !placed.has(c));
  const toCname = left.filter((c) => /^(DNS_|ZONE_(RECORD|NOT)|CUSTOM_DNS_|NXDOMAIN_)/.test(c));
  const toEndpoint = left.filter((c) => /^(PE_|ENDPOINT_|NO_PRIVATE_ENDPOINT|ZONE_GROUP_)/.test(c));
  const toName = left.filter((c) => !toCname.includes(c) && !toEndpoint.includes(c));
  const [first, ...others] = path.rows;
  return {
    name: toName.length > 0 ? withCodes(path.name, toName, errors) : path.name,
    cname: toCname.length > 0 ? withCodes(path.cname, toCname, errors) : path.cname,
    rows:
      first && toEndpoint.length > 0
        ? [{ ...first, endpoint: withCodes(first.endpoint, toEndpoint, errors) }, ...others]
        : path.rows,
  };
}

/** The path ARM says the name should take from a VNet that resolves through the privatelink zone. */
export function expectedPath(r: VaultResult): ResolutionPath {
  const host = r.host ?? r.vault;
  const name: PathNode = { step: 'name', lines: [host], bad: false, codes: [] };
  const cname: PathNode = {
    step: 'CNAME chain',
    lines: [privatelinkName(host)],
    note: 'privatelink zone',
    bad: false,
    codes: [],
  };
  const rows: PathRow[] = r.expected.map((e) => {
    const ok = usable(e);
    const missing = r.findings
      .filter((f) => f.code === 'ZONE_RECORD_MISSING' && detailString(f, 'address') === e.ip)
      .map((f) => f.code);
    return {
      address: {
        step: 'address',
        lines: [e.ip ?? 'unknown'],
        note: ok ? 'NIC IP of the endpoint' : 'not usable: no traffic',
        bad: false,
        codes: missing,
      },
      endpoint: {
        step: 'private endpoint',
        lines: [armName(e.privateEndpointId) || 'unknown'],
        note: `${e.connectionStatus ?? '?'} / ${e.provisioningState ?? '?'}`,
        bad: !ok,
        codes: [],
      },
      resource: { step: 'resource', lines: [r.vault], note: 'this vault', bad: false, codes: [] },
    };
  });
  if (rows.length === 0) {
    rows.push({
      address: {
        step: 'address',
        lines: [r.vaultId ? 'no private endpoint' : 'unknown: ARM not read'],
        bad: false,
        codes: [],
      },
      endpoint: { step: 'private endpoint', lines: ['-'], bad: false, codes: [] },
      resource: { step: 'resource', lines: [r.vault], bad: false, codes: [] },
    });
  }
  return { name, cname, rows };
}

/** Both paths; a finding that names no step of either is put on the observed path's step it points at. */
export function vaultPaths(r: VaultResult): VaultPaths {
  const expected = expectedPath(r);
  return { observed: placeRemaining(r, observedPath(r), expected), expected };
}
