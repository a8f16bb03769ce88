import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

import type { Actor } from '../../core/actor.js';
import { badRequest, HttpError } from '../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import { type Branding, DEFAULT_BRANDING } from './defaults.js';
import { detectImage, type ImageKind, svgProblem } from './image-check.js';
import type { BrandingRepository } from './repository.js';

export type BrandAsset = 'logo' | 'favicon';

export const ASSET_RULES: Record<BrandAsset, { kinds: ImageKind[]; maxBytes: number }> = {
  logo: { kinds: ['png', 'jpg', 'webp', 'svg'], maxBytes: 2 * 1024 * 1024 },
  favicon: { kinds: ['png', 'ico', 'svg'], maxBytes: 512 * 1024 },
};

export const ASSET_URL_PREFIX = '/static/branding/';

type EditableBranding = Omit<Branding, 'logo_url' | 'favicon_url'>;

export class BrandingService {
  /** Uploads of the same asset run one after another, so the stored file and its URL always agree. */
  readonly #assetQueue = new Map<BrandAsset, Promise<unknown>>();

  constructor(
    private readonly repository: BrandingRepository,
    private readonly audit: AuditLog,
    readonly assetDir: string,
  ) {}

  async get(): Promise<Branding> {
    const stored = await this.repository.settings();
    return { ...DEFAULT_BRANDING, ...(stored !== undefined ? parseSettings(stored) : {}) };
  }

  async update(patch: Partial<EditableBranding>, actor: Actor): Promise<Branding> {
    const result = await this.save(patch);
    await this.audit.record({ action: 'update', entityType: 'branding', details: { fields: Object.keys(patch) }, actor });
    return result;
  }

  /** Checks type (by content) and size, stores the file, and points the branding at it. */
  async storeAsset(asset: BrandAsset, bytes: Buffer, actor: Actor): Promise<Branding> {
    const result = await this.serialised(asset, () => this.writeAsset(asset, bytes));
    await this.audit.record({ action: 'upload', entityType: 'branding', details: { asset, bytes: bytes.length }, actor });
    return result;
  }

  async deleteAsset(asset: BrandAsset, actor: Actor): Promise<Branding> {
    const result = await this.serialised(asset, async () => {
      await this.removeAssetFiles(asset, null);
      return this.save({ [`${asset}_url`]: null });
    });
    await this.audit.record({ action: 'delete', entityType: 'branding', details: { asset }, actor });
    return result;
  }

  private serialised<T>(asset: BrandAsset, work: () => Promise<T>): Promise<T> {
    const previous = this.#assetQueue.get(asset) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.#assetQueue.set(asset, next);
    return next;
  }

  private async writeAsset(asset: BrandAsset, bytes: Buffer): Promise<Branding> {
    const rules = ASSET_RULES[asset];
    if (bytes.length === 0) throw badRequest('file_empty', 'The uploaded file is empty');
    if (bytes.length > rules.maxBytes)
      throw new HttpError(413, 'file_too_large', `The ${asset} may be at most ${rules.maxBytes / 1024} KB`);
    const kind = detectImage(bytes);
    if (!kind || !rules.kinds.includes(kind)) {
      throw new HttpError(415, 'unsupported_image_type', `The ${asset} must be one of: ${rules.kinds.join(', ').toUpperCase()}`);
    }
    if (kind === 'svg') {
      const problem = svgProblem(bytes);
      if (problem) throw badRequest('unsafe_svg', problem);
    }
    await fs.mkdir(this.assetDir, { recursive: true });
    const filename = `${asset}.${kind}`;
    const tmp = path.join(this.assetDir, `.${filename}.${randomUUID()}.tmp`);
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, path.join(this.assetDir, filename));
    await this.removeAssetFiles(asset, filename);
    return this.save({ [`${asset}_url`]: `${ASSET_URL_PREFIX}${filename}?v=${Date.now()}` });
  }

  /** Absolute path of a stored asset, or null when the name is not one of ours. */
  assetPath(filename: string): string | null {
    return /^(logo|favicon)\.(png|jpg|webp|svg|ico)$/.test(filename) ? path.join(this.assetDir, filename) : null;
  }

  private async save(patch: Partial<Branding>): Promise<Branding> {
    return this.repository.transaction(async (trx) => {
      const stored = await this.repository.settings(trx);
      const settings = { ...(stored !== undefined ? parseSettings(stored) : {}), ...patch };
      await this.repository.saveSettings(JSON.stringify(settings), trx);
      return { ...DEFAULT_BRANDING, ...settings };
    });
  }

  private async removeAssetFiles(asset: BrandAsset, keep: string | null): Promise<void> {
    const names = await fs.readdir(this.assetDir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => name.startsWith(`${asset}.`) && name !== keep && this.assetPath(name))
        .map((name) => fs.rm(path.join(this.assetDir, name), { force: true })),
    );
  }
}

function parseSettings(text: string): Partial<Branding> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return {};
    // Only keys we know survive, whatever an older version or a hand edit left behind.
    return Object.fromEntries(Object.entries(value).filter(([key]) => key in DEFAULT_BRANDING));
  } catch {
    return {};
  }
}
