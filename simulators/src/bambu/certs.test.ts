import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createSimulatorCa } from './certs.js';

describe('simulator CA', () => {
  const ca = createSimulatorCa();
  const caCert = new X509Certificate(ca.caPem);

  it('is a self-signed EC P-256 CA', () => {
    expect(caCert.ca).toBe(true);
    expect(caCert.verify(caCert.publicKey)).toBe(true);
    expect(caCert.checkIssued(caCert)).toBe(true);
    expect(caCert.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    expect(caCert.toLegacyObject().ext_key_usage).toBeUndefined();
  });

  it('issues leaves with CN = serial and SAN DNS = serial, signed by the CA, server auth only', () => {
    const serial = '01S00C123456789';
    const leaf = ca.issueLeaf(serial);
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.subject).toBe(`CN=${serial}`);
    expect(cert.subjectAltName).toBe(`DNS:${serial}`);
    expect(cert.checkHost(serial)).toBe(serial);
    expect(cert.checkHost('127.0.0.1')).toBeUndefined();
    expect(cert.checkIP('127.0.0.1')).toBeUndefined();
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 24 * 3600_000);
    // The key belongs to the certificate.
    const publicFromKey = createPublicKey(createPrivateKey(leaf.keyPem)).export({ type: 'spki', format: 'der' });
    expect(publicFromKey.equals(cert.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('caches one leaf per serial and is cheap enough for a thousand printers', () => {
    expect(ca.issueLeaf('A')).toBe(ca.issueLeaf('A'));
    expect(ca.issueLeaf('A').certPem).not.toBe(ca.issueLeaf('B').certPem);
    const started = performance.now();
    for (let i = 0; i < 200; i++) ca.issueLeaf(`SPEED${i}`);
    expect(performance.now() - started).toBeLessThan(2000); // ~0.5 ms each on a small machine
  });

  it('does not verify against another CA', () => {
    const other = new X509Certificate(createSimulatorCa().caPem);
    const cert = new X509Certificate(ca.issueLeaf('X').certPem);
    expect(cert.verify(other.publicKey)).toBe(false);
    expect(cert.checkIssued(other)).toBe(false);
  });
});
