/**
 * TLS for Bambu printers (protocols.md §1.1): the chain is checked against the Bambu CAs plus
 * the configured ones, and the certificate NAME against the printer's serial — never against its
 * IP address — through SNI (servername = serial) and a checkServerIdentity that compares CN and
 * DNS SANs with the serial. The per-printer `tlsInsecure` switch turns both checks off.
 */
import { createSecureContext, type PeerCertificate, type SecureContext } from 'node:tls';

import { BAMBU_CA_CERTIFICATES } from './bambu-ca.js';

/** checkServerIdentity's verdict when the certificate belongs to another printer (or is no Bambu certificate). */
export class CertificateNameError extends Error {
  readonly code = 'ERR_BAMBU_CERT_NAME';
  constructor(
    readonly serial: string,
    readonly presented: string[],
  ) {
    super(
      `TLS: certificate name does not match serial ${serial} (the printer presented ${presented.length > 0 ? presented.map((n) => `"${n}"`).join(', ') : 'no name'}) — is the serial right?`,
    );
    this.name = 'CertificateNameError';
  }
}

export interface BambuTlsSettings {
  serial: string;
  insecure: boolean;
  /** Extra PEM certificates (DriverOptions.caCertificates). */
  extraCa: readonly string[];
}

/** The names a certificate claims: its subject CN and its DNS subjectAltNames. */
export function certificateNames(cert: PeerCertificate): string[] {
  const names: string[] = [];
  const cn: unknown = cert.subject?.CN;
  if (typeof cn === 'string') names.push(cn);
  else if (Array.isArray(cn)) for (const n of cn) if (typeof n === 'string') names.push(n);
  for (const part of (cert.subjectaltname ?? '').split(',')) {
    const match = /^\s*DNS:(.+)$/.exec(part);
    if (match?.[1]) names.push(match[1].trim());
  }
  return [...new Set(names)];
}

/** A checkServerIdentity that accepts exactly the serial (case-insensitive), whatever host was dialled. */
export function serialIdentityCheck(serial: string): (host: string, cert: PeerCertificate) => Error | undefined {
  const wanted = serial.trim().toUpperCase();
  return (_host, cert) => {
    const names = certificateNames(cert);
    return names.some((n) => n.toUpperCase() === wanted) ? undefined : new CertificateNameError(serial, names);
  };
}

/** The trusted CAs: the built-in Bambu ones plus the configured ones. */
export function trustedCas(extraCa: readonly string[]): string[] {
  return [...BAMBU_CA_CERTIFICATES, ...extraCa.filter((pem) => pem.includes('-----BEGIN CERTIFICATE-----'))];
}

/** The TLS part of the options for tls.connect, mqtt.js and basic-ftp. */
export interface BambuTlsOptions {
  /** The trusted CAs, parsed once (see sharedCaContext); absent when checks are off. */
  secureContext?: SecureContext;
  servername: string;
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
  rejectUnauthorized: boolean;
}

/** One context per distinct CA list, for the life of the process (in practice: one). */
const contexts = new Map<string, SecureContext>();

/**
 * A client SecureContext trusting exactly `cas`. Passing `ca` to tls.connect makes Node build a
 * fresh context per connection — parse every CA certificate, allocate an X509 store — which a
 * fleet of hundreds of printers (and every reconnect) pays over and over; one shared context
 * verifies the same way. The map stays tiny: its key is the configured CA list, which only
 * changes with ODIN_BAMBU_CA_FILE, i.e. with a restart.
 */
export function sharedCaContext(cas: readonly string[]): SecureContext {
  const key = cas.join('\n');
  let context = contexts.get(key);
  if (!context) {
    // An explicit list (even an empty one) replaces Node's web root CAs: a printer is never
    // trusted because some public CA signed its certificate.
    context = createSecureContext({ ca: [...cas] });
    contexts.set(key, context);
  }
  return context;
}

/** Options for tls.connect / mqtt.js / basic-ftp. */
export function bambuTlsOptions(settings: BambuTlsSettings): BambuTlsOptions {
  if (settings.insecure) {
    // The explicit per-printer switch: no chain check, no name check. SNI still names the serial.
    return { servername: settings.serial, rejectUnauthorized: false };
  }
  return {
    secureContext: sharedCaContext(trustedCas(settings.extraCa)),
    servername: settings.serial,
    checkServerIdentity: serialIdentityCheck(settings.serial),
    rejectUnauthorized: true,
  };
}

/** OpenSSL verification codes meaning "signed by nobody we trust". */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);

/** Words for a TLS verification failure, or null when `err` is not one. */
export function describeTlsError(err: unknown, code: string | null, hostPort: string, extraCaCount: number): string | null {
  if (err instanceof CertificateNameError) return err.message;
  if (code === 'ERR_BAMBU_CERT_NAME' && err instanceof Error) return err.message;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: certificate name does not match the printer's serial (${hostPort})`;
  if (code !== null && UNTRUSTED_CODES.has(code)) {
    const trusted = BAMBU_CA_CERTIFICATES.length + extraCaCount;
    const hint =
      trusted === 0
        ? 'ODIN has no Bambu Lab CA built in yet and none is configured: set ODIN_BAMBU_CA_FILE, or switch certificate checks off for this printer'
        : 'add the CA that signed it with ODIN_BAMBU_CA_FILE, or switch certificate checks off for this printer';
    return `TLS: the certificate of ${hostPort} is not signed by a trusted Bambu Lab CA (${code}) — ${hint}`;
  }
  if (code === 'CERT_HAS_EXPIRED') return `TLS: the certificate of ${hostPort} has expired (is this server's clock right?)`;
  if (code === 'CERT_NOT_YET_VALID') return `TLS: the certificate of ${hostPort} is not valid yet (is this server's clock right?)`;
  if (code !== null && /^ERR_SSL_|^ERR_TLS_/.test(code)) {
    return `TLS handshake with ${hostPort} failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return null;
}
