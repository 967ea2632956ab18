import { useLabPki } from './lab-fixtures';
import type { LabPki } from '../lab/tls';

const labPki = useLabPki();
let pki: LabPki;
beforeAll(() => {
  pki = labPki();
});

describe('lab PKI', () => {
  it('issues cached leaf certificates with DNS and IP SANs that chain to the lab CA', async () => {
    const leaf = pki.issue(['*.vault.azure.net', '127.0.0.1']);
    expect(pki.issue(['127.0.0.1', '*.VAULT.azure.net'])).toBe(leaf);
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(leaf.cert);
    expect(cert.checkIssued(new X509Certificate(pki.caPem))).toBe(true);
    expect(cert.checkHost('kv1.vault.azure.net')).toBe('*.vault.azure.net');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:*.vault.azure.net');
  });
});
