import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';

export interface LabPki {
  caPem: string;
  caCertPath: string;
  /** Where the CA, its key and every issued leaf live (a fresh temp dir unless one was given). */
  readonly dir: string;
  issue(names: string[]): { key: string; cert: string };
}

// The lab writes its own OpenSSL config so neither the distro's openssl.cnf nor OPENSSL_CONF can add or
// clash with extensions (openssl 3 refuses duplicate -addext extensions).
const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
`;

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENSSL_CONF: join(cwd, 'openssl.cnf') },
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl ${args[0] ?? ''} failed${stderr ? `: ${stderr}` : ''}`, { cause: err });
  }
}

/** A positive 127-bit serial: unique per leaf so clients never see two certs with one issuer+serial. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return `0x${bytes.toString('hex')}`;
}

function subjectAltName(names: string[]): string {
  return names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(', ');
}

/**
 * A throwaway CA for the lab. EC P-256 keeps generation in the low milliseconds, so a test can afford
 * a fresh CA per run instead of a committed (and eventually expired) fixture.
 */
export function createLabPki(dir?: string, opts: { organisation?: string } = {}): LabPki {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'kvprobe-lab-pki-'));
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'openssl.cnf'), OPENSSL_CONFIG);

  const caKeyPath = join(root, 'ca.key');
  const caCertPath = join(root, 'ca.pem');
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      caKeyPath,
      '-out',
      caCertPath,
      '-days',
      '30',
      '-sha256',
      '-set_serial',
      serial(),
      '-subj',
      `/O=${opts.organisation ?? 'kv-privatelink-probe lab'}/CN=kvprobe lab CA ${randomBytes(4).toString('hex')}`,
      '-config',
      join(root, 'openssl.cnf'),
      '-extensions',
      'v3_ca',
    ],
    root,
  );
  const caPem = readFileSync(caCertPath, 'utf8');

  const issued = new Map<string, { key: string; cert: string }>();
  let counter = 0;

  function issue(names: string[]): { key: string; cert: string } {
    const unique = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0))].sort();
    if (unique.length === 0) throw new Error('issue() needs at least one DNS name or IP address');
    const cacheKey = unique.join(',');
    const cached = issued.get(cacheKey);
    if (cached) return cached;

    counter += 1;
    const base = join(root, `leaf-${counter}`);
    const extPath = `${base}.ext`;
    writeFileSync(
      extPath,
      [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature',
        'extendedKeyUsage = serverAuth, clientAuth',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
        `subjectAltName = ${subjectAltName(unique)}`,
        '',
      ].join('\n'),
    );
    // The CN is informational only (clients match SANs); 64 characters is its hard limit.
    const cn = (unique[0] ?? 'lab').replace(/[/=+]/g, '_').slice(0, 64);
    openssl(
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/O=kv-privatelink-probe lab/CN=${cn}`,
        '-config',
        join(root, 'openssl.cnf'),
      ],
      root,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        caCertPath,
        '-CAkey',
        caKeyPath,
        '-set_serial',
        serial(),
        '-days',
        '30',
        '-sha256',
        '-extfile',
        extPath,
        '-out',
        `${base}.pem`,
      ],
      root,
    );
    const pair = { key: readFileSync(`${base}.key`, 'utf8'), cert: readFileSync(`${base}.pem`, 'utf8') };
    issued.set(cacheKey, pair);
    return pair;
  }

  return { caPem, caCertPath, dir: root, issue };
}

/**
 * Makes every in-process TLS client that relies on the default trust store (the Azure SDK pipeline,
 * MSAL, the App Insights exporter) accept lab certificates. Child processes get the same effect from
 * NODE_EXTRA_CA_CERTS=caCertPath instead.
 */
export function trustLabCa(caPem: string): void {
  if (typeof tls.setDefaultCACertificates !== 'function' || typeof tls.getCACertificates !== 'function') {
    throw new Error(
      `trustLabCa needs tls.setDefaultCACertificates (Node >= 22.19); this is Node ${process.versions.node}. ` +
        'Upgrade Node, or start the process with NODE_EXTRA_CA_CERTS pointing at the lab CA file.',
    );
  }
  const current = tls.getCACertificates('default');
  const wanted = caPem.trim();
  if (current.some((pem) => pem.trim() === wanted)) return;
  tls.setDefaultCACertificates([...current, caPem]);
}
