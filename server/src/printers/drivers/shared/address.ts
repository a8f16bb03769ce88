/** A host as it stands in a URL or "host:port": an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function hostPort(host: string, port: number): string {
  return `${urlHost(host)}:${port}`;
}
