/**
 * The public "BBL CA" certificates that sign Bambu Lab printers' TLS certificates (CN = serial),
 * trusted for MQTT (8883) and FTPS (990) in addition to `DriverOptions.caCertificates`
 * (ODIN_BAMBU_CA_FILE).
 *
 * EMPTY FOR NOW. These certificates are public facts (OpenBambuAPI `examples/ca_cert.pem`,
 * ha-bambulab `pybambu/certs/*.cert`), but ODIN may only take them from a package on the npm
 * registry, and none of the packages looked at ships them (@fdm-monster/server 1.9.4 and 2.1.1
 * switch verification off instead). Until they are added here — PEM text only, with a comment
 * naming where each came from — a printer is verified only against ODIN_BAMBU_CA_FILE, or
 * connects with the per-printer "don't verify" switch (`tlsInsecure`).
 */
export const BAMBU_CA_CERTIFICATES: readonly string[] = [];
