/** Prometheus text exposition (format 0.0.4): a few gauges need no client library. */
export class MetricsText {
  #lines: string[] = [];

  family(name: string, help: string, type: 'gauge' | 'counter' = 'gauge'): this {
    this.#lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, labels: Record<string, string | number>, value: number | null | boolean): this {
    if (value === null) return this;
    const numeric = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    const rendered = Object.entries(labels)
      .map(([key, v]) => `${key}="${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
      .join(',');
    this.#lines.push(`${name}${rendered ? `{${rendered}}` : ''} ${Number.isFinite(numeric) ? numeric : 'NaN'}`);
    return this;
  }

  toString(): string {
    return this.#lines.join('\n') + '\n';
  }
}
