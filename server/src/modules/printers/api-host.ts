/**
 * `api_host` as users type it: "192.168.1.20", "printer.local:7125", "[fe80::1]:80", or a URL
 * such as "http://10.0.0.5:7125/". Returns null when it is not a usable host.
 */
export function parseApiHost(value: string): { host: string; port: number | null } | null {
  const text = value.trim();
  if (!text || text.length > 255) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return null;
  }
  if (!['http:', 'https:', 'ws:', 'wss:', 'mqtt:', 'mqtts:'].includes(url.protocol)) return null;
  if (url.username || url.password) return null;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host || !/^[A-Za-z0-9.:_-]+$/.test(host)) return null;
  // URL drops a port that equals the scheme's default (":80" for http), but to a printer driver an
  // explicit port always means that port: read it from the text.
  const authority = (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text.replace(/^[^:]+:\/\//, '') : text).split(/[/?#]/)[0] ?? '';
  const explicit = /(?:^|[^:]|\]):(\d{1,5})$/.exec(authority)?.[1];
  const port = explicit !== undefined ? Number(explicit) : null;
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { host, port };
}
