/**
 * The simulator's own certificate authority, standing in for Bambu's private "BBL CA": a real
 * printer presents a leaf certificate whose CN is its serial number, signed by that CA. Clients
 * trust the CA and check the serial (servername = serial), so tests can run with full verification.
 *
 * Keys are EC P-256 made by node:crypto (a fraction of a millisecond), and the certificates are
 * encoded here in DER: no library offers synchronous certificate creation with EC keys, and a
 * hundred simulators starting at once must not wait for RSA key generation. Leaf certificates are
 * cached per serial, so restarting a simulator (or running a thousand) costs one signature each.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export interface SimulatorCa {
  /** The CA certificate (PEM): what a client passes as `ca`. */
  caPem: string;
  /** A leaf for one printer: CN = serial, SAN DNS = serial, signed by this CA. Cached per serial. */
  issueLeaf(serial: string): { certPem: string; keyPem: string };
}

// ── DER, just what a certificate needs ─────────────────────────────────────────────────────────

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);
const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
const TRUE = tlv(0x01, Buffer.from([0xff]));

/** A non-negative INTEGER from big-endian magnitude bytes. */
function integer(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const first = trimmed[0] ?? 0;
  return tlv(0x02, first & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.from([unusedBits]), bytes);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = arcs;
  const out: number[] = [40 * a + b];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

function name(cn: string, org?: string): Buffer {
  const rdns = [set(sequence(oid(OID.commonName), utf8String(cn)))];
  if (org) rdns.unshift(set(sequence(oid(OID.organization), utf8String(org))));
  return sequence(...rdns);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), TRUE, octetString(value)) : sequence(oid(id), octetString(value));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

interface CertificateFields {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  days: number;
  extensions: Buffer[];
}

function certificate(fields: CertificateFields): string {
  const now = Date.now();
  const serialNumber = randomBytes(16);
  serialNumber[0] = (serialNumber[0] ?? 0) & 0x7f;
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serialNumber),
    algorithm,
    fields.issuer,
    sequence(time(new Date(now - 24 * 3600_000)), time(new Date(now + fields.days * 24 * 3600_000))),
    fields.subject,
    fields.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...fields.extensions)),
  );
  const signature = sign('sha256', tbs, fields.signingKey); // DER-encoded ECDSA signature
  return pem('CERTIFICATE', sequence(tbs, algorithm, bitString(signature)));
}

// ── The CA ────────────────────────────────────────────────────────────────────────────────────

/** A new CA (EC P-256, valid 10 years). Share one across many simulators. */
export function createSimulatorCa(commonName = 'ODIN Simulator BBL CA'): SimulatorCa {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = name(commonName, 'ODIN simulators');
  const caKeyId = keyIdentifier(ca.publicKey);
  const caPem = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    days: 3650,
    extensions: [
      extension(OID.basicConstraints, true, sequence(TRUE)),
      // digitalSignature | keyCertSign | cRLSign = bits 0, 5, 6 → 1000 0110, one unused bit
      extension(OID.keyUsage, true, bitString(Buffer.from([0x86]), 1)),
      extension(OID.subjectKeyIdentifier, false, octetString(caKeyId)),
    ],
  });
  const leaves = new Map<string, { certPem: string; keyPem: string }>();

  return {
    caPem,
    issueLeaf(serial: string) {
      const cached = leaves.get(serial);
      if (cached) return cached;
      const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const certPem = certificate({
        subject: name(serial),
        issuer: caName,
        publicKey: leaf.publicKey,
        signingKey: ca.privateKey,
        days: 5 * 365,
        extensions: [
          extension(OID.basicConstraints, true, sequence()),
          // digitalSignature = bit 0 → 1000 0000, seven unused bits
          extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
          extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
          extension(OID.subjectAltName, false, sequence(tlv(0x82, Buffer.from(serial, 'ascii')))),
          extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(leaf.publicKey))),
          extension(OID.authorityKeyIdentifier, false, sequence(tlv(0x80, caKeyId))),
        ],
      });
      const issued = { certPem, keyPem: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
      leaves.set(serial, issued);
      return issued;
    },
  };
}
