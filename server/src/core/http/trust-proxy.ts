import type { OdinConfig } from '../config.js';

/** ODIN_TRUST_PROXY in Fastify's terms: a hop count becomes "trust the nearest N proxies"; addresses and false pass through. */
export function proxyTrust(setting: OdinConfig['trustProxy']): string | false | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}
