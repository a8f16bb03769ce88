import type { Actor } from '../../core/actor.js';
import type { SecretBox } from '../../core/crypto/fernet.js';
import { isUniqueViolation } from '../../core/database/errors.js';
import { badRequest, conflict, HttpError, notFound } from '../../core/errors.js';
import type { OdinBus } from '../../events.js';
import { API_TYPES, type ApiType, type DiscoveredCamera, type PrinterConnection } from '../../printers/driver.js';
import type { LiveStates } from '../../printers/live-states.js';
import { isPrinterStatus } from '../../printers/state.js';
import type { AuditLog } from '../audit/audit-log.js';
import { parseApiHost } from './api-host.js';
import { printerAdded, printerUpdated } from './config-events.js';
import type { FilamentSlotsRepository, SlotChanges, SlotRecord } from './filament-slots-repository.js';
import type { NozzleRecord, NozzlesRepository } from './nozzles-repository.js';
import type { PrinterChanges, PrinterRecord, PrintersRepository } from './repository.js';
import type {
  CreatePrinterInput,
  InstallNozzleInput,
  NozzleDto,
  PrinterDto,
  SlotDto,
  TestConnectionInput,
  UpdatePrinterInput,
  UpdateSlotInput,
} from './schemas.js';

function isApiType(value: unknown): value is ApiType {
  return typeof value === 'string' && (API_TYPES as readonly string[]).includes(value);
}

/** '#RRGGBB' upper-case (8 digits kept for Bambu trays), or null. */
function normaliseHex(value: string | null | undefined): string | null {
  if (!value) return null;
  return `#${value.replace(/^#/, '').toUpperCase()}`;
}

/** Bambu printers keep the original's `api_key` = "serial|access_code". */
export function splitBambuKey(apiType: ApiType, apiKey: string | null): { serial: string | null; accessCode: string | null } {
  if (apiType !== 'bambu' || !apiKey) return { serial: null, accessCode: null };
  const at = apiKey.indexOf('|');
  if (at < 0) return { serial: null, accessCode: apiKey };
  return { serial: apiKey.slice(0, at).trim() || null, accessCode: apiKey.slice(at + 1).trim() || null };
}

/**
 * The api_key to store: an explicit key wins; for Bambu, explicit serial/access_code fields are
 * folded into the original's "serial|access_code" shape, keeping whichever half was not given.
 */
function combineBambuKey(
  apiType: ApiType | null,
  apiKey: string | null,
  serial: string | null | undefined,
  accessCode: string | null | undefined,
  currentKey: string | null,
): string | null {
  if (apiKey) return apiKey;
  if (apiType !== 'bambu' || (serial === undefined && accessCode === undefined)) return apiKey;
  const current = splitBambuKey('bambu', currentKey);
  const nextSerial = serial !== undefined ? serial || null : current.serial;
  const nextCode = accessCode !== undefined ? accessCode || null : current.accessCode;
  if (!nextSerial && !nextCode) return null;
  return `${nextSerial ?? ''}|${nextCode ?? ''}`;
}

export function toSlotDto(row: SlotRecord): SlotDto {
  return { ...row, spool_confirmed: Boolean(row.spool_confirmed) };
}

function toNozzleDto(row: NozzleRecord): NozzleDto {
  return { ...row };
}

/** Printers as the API shows them: stored settings, live state overlaid, secrets never included. */
export class PrintersService {
  constructor(
    private readonly printers: PrintersRepository,
    private readonly slotRecords: FilamentSlotsRepository,
    private readonly nozzles: NozzlesRepository,
    private readonly secrets: SecretBox,
    private readonly live: LiveStates,
    private readonly bus: OdinBus,
    private readonly audit: AuditLog,
  ) {}

  async list(): Promise<PrinterDto[]> {
    const [rows, slots] = await Promise.all([this.printers.list(), this.slotRecords.all()]);
    const byPrinter = new Map<number, SlotRecord[]>();
    for (const slot of slots) {
      const list = byPrinter.get(slot.printer_id) ?? [];
      list.push(slot);
      byPrinter.set(slot.printer_id, list);
    }
    return rows.map((row) => this.toDto(row, byPrinter.get(row.id) ?? []));
  }

  async get(id: number): Promise<PrinterDto> {
    const row = await this.row(id);
    const slots = await this.slotRecords.forPrinter(id);
    return this.toDto(row, slots);
  }

  /** Throws 404 unless the printer exists. */
  async assertExists(id: number): Promise<void> {
    await this.row(id);
  }

  /** id → name of every printer (WebSocket snapshots, metrics). */
  async names(): Promise<Map<number, string>> {
    const rows = await this.printers.names();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Adds a printer; `source` tells the audit log where it came from (e.g. the setup wizard). */
  async create(input: CreatePrinterInput, actor: Actor, source?: string): Promise<PrinterDto> {
    const apiType = input.api_type ?? null;
    const apiKey = combineBambuKey(apiType, input.api_key ?? null, input.serial, input.access_code, null);
    const apiHost = this.checkedHost(apiType, input.api_host ?? null);
    const now = new Date().toISOString();
    const slotCount = input.slot_count ?? 4;
    try {
      const id = await this.printers.transaction(async (trx) => {
        const id = await this.printers.insert(
          {
            name: input.name.trim(),
            nickname: input.nickname ?? null,
            model: input.model ?? null,
            slot_count: slotCount,
            is_active: input.is_active ?? true,
            display_order: input.display_order ?? (await this.printers.nextDisplayOrder(trx)),
            camera_url: input.camera_url || null,
            camera_enabled: input.camera_enabled ?? true,
            api_type: apiType,
            api_host: apiHost,
            api_key: this.encrypt(apiKey),
            api_username: input.username || null,
            api_password: this.encrypt(input.password),
            tls_insecure: input.tls_insecure ?? false,
            is_favorite: input.is_favorite ?? false,
            nozzle_type: input.nozzle_type ?? null,
            nozzle_diameter: input.nozzle_diameter ?? null,
            status: 'offline',
            created_at: now,
            updated_at: now,
          },
          trx,
        );
        await this.slotRecords.addEmpty(
          id,
          Array.from({ length: slotCount }, (_, i) => i + 1),
          trx,
        );
        return id;
      });
      const printer = await this.get(id);
      this.bus.emit('printer_config', printerAdded(printer));
      await this.audit.record({
        action: 'create',
        entityType: 'printer',
        entityId: printer.id,
        details: { name: printer.name, api_type: printer.api_type, ...(source !== undefined ? { source } : {}) },
        actor,
      });
      return printer;
    } catch (error) {
      if (isUniqueViolation(error)) throw badRequest('printer_name_taken', `A printer named "${input.name.trim()}" already exists`);
      throw error;
    }
  }

  /** Applies the given fields; records which ones changed in the audit log. */
  async update(id: number, input: UpdatePrinterInput, actor: Actor): Promise<PrinterDto> {
    const { printer, changed } = await this.apply(id, input);
    if (changed.length > 0) {
      await this.audit.record({
        action: 'update',
        entityType: 'printer',
        entityId: printer.id,
        details: { name: printer.name, fields: changed },
        actor,
      });
    }
    return printer;
  }

  /** More slots for the trays a printer reports; part of an AMS sync, which records its own audit entry. */
  async growSlots(id: number, slotCount: number): Promise<void> {
    await this.apply(id, { slot_count: slotCount });
  }

  private async apply(id: number, input: UpdatePrinterInput): Promise<{ printer: PrinterDto; changed: string[] }> {
    const current = await this.row(id);
    const apiType = input.api_type !== undefined ? input.api_type : isApiType(current.api_type) ? current.api_type : null;
    const apiHost = this.checkedHost(apiType, input.api_host !== undefined ? input.api_host : current.api_host);
    const changes: PrinterChanges = {};
    if (input.name !== undefined) changes.name = input.name.trim();
    if (input.nickname !== undefined) changes.nickname = input.nickname;
    if (input.model !== undefined) changes.model = input.model;
    if (input.slot_count !== undefined) changes.slot_count = input.slot_count;
    if (input.is_active !== undefined) changes.is_active = input.is_active;
    if (input.display_order !== undefined) changes.display_order = input.display_order;
    if (input.camera_url !== undefined) {
      changes.camera_url = input.camera_url || null;
      changes.camera_discovered = false;
    }
    if (input.camera_enabled !== undefined) changes.camera_enabled = input.camera_enabled;
    if (input.api_type !== undefined) changes.api_type = input.api_type;
    if (input.api_host !== undefined || input.api_type !== undefined) changes.api_host = apiHost;
    if (input.api_key !== undefined || input.serial !== undefined || input.access_code !== undefined) {
      const currentKey = this.decrypt(current.api_key);
      changes.api_key = this.encrypt(
        combineBambuKey(apiType, input.api_key !== undefined ? input.api_key : null, input.serial, input.access_code, currentKey),
      );
    }
    if (input.tls_insecure !== undefined) changes.tls_insecure = input.tls_insecure;
    if (input.username !== undefined) changes.api_username = input.username || null;
    if (input.password !== undefined) changes.api_password = this.encrypt(input.password);
    if (input.is_favorite !== undefined) changes.is_favorite = input.is_favorite;
    if (input.nozzle_type !== undefined) changes.nozzle_type = input.nozzle_type;
    if (input.nozzle_diameter !== undefined) changes.nozzle_diameter = input.nozzle_diameter;
    const changed = Object.keys(changes).map((k) => (k === 'api_username' ? 'username' : k === 'api_password' ? 'password' : k));
    if (changed.length === 0) return { printer: await this.get(id), changed };
    changes.updated_at = new Date().toISOString();
    try {
      await this.printers.transaction(async (trx) => {
        await this.printers.update(id, changes, trx);
        if (input.slot_count !== undefined && input.slot_count !== current.slot_count) {
          await this.slotRecords.removeAbove(id, input.slot_count, trx);
          const missing = Array.from({ length: input.slot_count }, (_, i) => i + 1).filter((n) => n > current.slot_count);
          await this.slotRecords.addEmpty(id, missing, trx);
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw badRequest('printer_name_taken', `A printer named "${input.name?.trim()}" already exists`);
      throw error;
    }
    const printer = await this.get(id);
    this.bus.emit('printer_config', printerUpdated(printer, changed));
    return { printer, changed };
  }

  async delete(id: number, actor: Actor): Promise<void> {
    const row = await this.row(id);
    await this.printers.delete(id);
    this.bus.emit('printer_config', { printerId: id, change: 'removed' });
    await this.audit.record({ action: 'delete', entityType: 'printer', entityId: row.id, details: { name: row.name }, actor });
  }

  /** Sets display_order to the position in the list; printers not named keep their order after them. */
  async reorder(ids: number[]): Promise<void> {
    const unique = [...new Set(ids)];
    const known = new Set(await this.printers.ids());
    const unknown = unique.filter((id) => !known.has(id));
    if (unknown.length > 0) throw badRequest('printer_not_found', `Unknown printer id(s): ${unknown.join(', ')}`);
    const rest = [...known].filter((id) => !unique.includes(id)).sort((a, b) => a - b);
    const order = [...unique, ...rest];
    await this.printers.setDisplayOrder(order);
    this.bus.emit('printers_reordered', { printerIds: order });
  }

  async slots(printerId: number): Promise<SlotDto[]> {
    await this.row(printerId);
    return (await this.slotRecords.forPrinter(printerId)).map(toSlotDto);
  }

  async updateSlot(printerId: number, slotNumber: number, input: UpdateSlotInput): Promise<SlotDto> {
    const printer = await this.row(printerId);
    if (slotNumber < 1 || slotNumber > printer.slot_count)
      throw notFound('slot_not_found', `Printer ${printer.name} has no slot ${slotNumber}`);
    const changes: SlotChanges = {};
    if (input.filament_type !== undefined) changes.filament_type = input.filament_type ? input.filament_type.toUpperCase() : null;
    if (input.color !== undefined) changes.color = input.color || null;
    if (input.color_hex !== undefined) changes.color_hex = normaliseHex(input.color_hex);
    if (input.spoolman_spool_id !== undefined) changes.spoolman_spool_id = input.spoolman_spool_id;
    if (input.assigned_spool_id !== undefined) changes.assigned_spool_id = input.assigned_spool_id;
    if (input.spool_confirmed !== undefined) changes.spool_confirmed = input.spool_confirmed;
    if (input.filament_type !== undefined || input.color_hex !== undefined || input.color !== undefined)
      changes.loaded_at = new Date().toISOString();
    const row = await this.slotRecords.update(printerId, slotNumber, changes);
    if (!row) throw notFound('slot_not_found', `Printer ${printer.name} has no slot ${slotNumber}`);
    return toSlotDto(row);
  }

  async currentNozzle(printerId: number): Promise<NozzleDto | null> {
    await this.row(printerId);
    const row = await this.nozzles.installed(printerId);
    return row ? toNozzleDto(row) : null;
  }

  async nozzleHistory(printerId: number): Promise<NozzleDto[]> {
    await this.row(printerId);
    return (await this.nozzles.history(printerId)).map(toNozzleDto);
  }

  /** Installs a nozzle, retiring the one that was in (one transaction). */
  async installNozzle(printerId: number, input: InstallNozzleInput, actor: Actor): Promise<NozzleDto> {
    const printer = await this.row(printerId);
    const now = new Date().toISOString();
    const row = await this.nozzles.transaction(async (trx) => {
      await this.nozzles.removeInstalled(printerId, now, trx);
      const inserted = await this.nozzles.insert(
        {
          printer_id: printerId,
          nozzle_type: input.nozzle_type ?? printer.nozzle_type,
          nozzle_diameter: input.nozzle_diameter ?? printer.nozzle_diameter,
          installed_at: now,
          notes: input.notes ?? null,
        },
        trx,
      );
      await this.printers.update(
        printerId,
        { nozzle_type: inserted.nozzle_type, nozzle_diameter: inserted.nozzle_diameter, updated_at: now },
        trx,
      );
      return inserted;
    });
    const nozzle = toNozzleDto(row);
    await this.audit.record({
      action: 'install_nozzle',
      entityType: 'printer',
      entityId: printerId,
      details: { nozzle_id: nozzle.id, nozzle_type: nozzle.nozzle_type, nozzle_diameter: nozzle.nozzle_diameter },
      actor,
    });
    return nozzle;
  }

  async retireNozzle(printerId: number, nozzleId: number): Promise<NozzleDto> {
    await this.row(printerId);
    const row = await this.nozzles.find(printerId, nozzleId);
    if (!row) throw notFound('nozzle_not_found', 'No such nozzle on this printer');
    if (row.removed_at) throw conflict('nozzle_already_retired', 'This nozzle was already retired');
    return toNozzleDto(await this.nozzles.remove(nozzleId, new Date().toISOString()));
  }

  /**
   * Records the first camera a printer announces, unless the user set a camera URL of their own
   * (a discovered URL is replaced when the printer announces another).
   */
  async recordDiscoveredCameras(printerId: number, cameras: DiscoveredCamera[]): Promise<void> {
    const camera = cameras[0];
    if (!camera) return;
    await this.printers.setDiscoveredCamera(printerId, camera.streamUrl);
  }

  /** A chamber light switched through ODIN, remembered for printers that do not report it. */
  async recordLights(printerId: number, on: boolean): Promise<void> {
    await this.printers.setLights(printerId, on, new Date().toISOString());
  }

  /** Connections for the fleet supervisor: active printers with a protocol and a usable host. */
  async connections(printerId?: number): Promise<PrinterConnection[]> {
    const rows = await this.printers.connectable(printerId);
    return rows.flatMap((row) => {
      const connection = this.connectionOf(row);
      return connection ? [connection] : [];
    });
  }

  /** A connection from a test-connection request, with stored credentials filling the gaps when editing. */
  async connectionForTest(input: TestConnectionInput): Promise<PrinterConnection> {
    const stored = input.printer_id !== undefined ? await this.row(input.printer_id) : null;
    const target = parseApiHost(input.api_host);
    if (!target) throw badRequest('invalid_host', `"${input.api_host}" is not a host name, IP address or URL`);
    const storedKey = this.decrypt(stored?.api_key ?? null);
    const explicit = input.api_key !== undefined || input.serial !== undefined || input.access_code !== undefined;
    const apiKey = explicit
      ? combineBambuKey(input.api_type, input.api_key ?? null, input.serial, input.access_code, storedKey)
      : storedKey;
    return {
      printerId: stored?.id ?? 0,
      apiType: input.api_type,
      host: target.host,
      port: target.port,
      apiKey,
      username: input.username !== undefined ? input.username || null : (stored?.api_username ?? null),
      password: input.password !== undefined ? input.password || null : this.decrypt(stored?.api_password ?? null),
      ...splitBambuKey(input.api_type, apiKey),
      tlsInsecure: input.tls_insecure ?? (stored ? Boolean(stored.tls_insecure) : false),
    };
  }

  private connectionOf(row: PrinterRecord): PrinterConnection | null {
    if (!isApiType(row.api_type) || !row.api_host) return null;
    const target = parseApiHost(row.api_host);
    if (!target) return null;
    const apiKey = this.decrypt(row.api_key);
    return {
      printerId: row.id,
      apiType: row.api_type,
      host: target.host,
      port: target.port,
      apiKey,
      username: row.api_username,
      password: this.decrypt(row.api_password),
      ...splitBambuKey(row.api_type, apiKey),
      tlsInsecure: Boolean(row.tls_insecure),
    };
  }

  private async row(id: number): Promise<PrinterRecord> {
    const row = await this.printers.find(id);
    if (!row) throw notFound('printer_not_found', 'Printer not found');
    return row;
  }

  private checkedHost(apiType: ApiType | null, apiHost: string | null): string | null {
    const host = apiHost?.trim() || null;
    if (apiType && !host) throw badRequest('host_required', `api_host is required for ${apiType} printers`);
    if (host && !parseApiHost(host)) throw badRequest('invalid_host', `api_host "${host}" is not a host name, IP address or URL`);
    return host;
  }

  private encrypt(value: string | null | undefined): string | null {
    return value ? this.secrets.encrypt(value) : null;
  }

  private decrypt(token: string | null): string | null {
    if (!token) return null;
    try {
      return this.secrets.decrypt(token);
    } catch {
      // A key from another install: the printer shows as unreachable rather than breaking the fleet.
      throw new HttpError(500, 'encryption_key_mismatch', 'A stored printer credential cannot be decrypted with this ENCRYPTION_KEY');
    }
  }

  private bambuFields(row: PrinterRecord): { serial: string | null; access_code_set: boolean; tls_insecure: boolean } {
    let serial: string | null = null;
    let code: string | null = null;
    if (row.api_type === 'bambu' && row.api_key) {
      try {
        ({ serial, accessCode: code } = splitBambuKey('bambu', this.secrets.decrypt(row.api_key)));
      } catch {
        // Undecryptable key: shown as not set.
      }
    }
    return { serial, access_code_set: Boolean(code), tls_insecure: Boolean(row.tls_insecure) };
  }

  private toDto(row: PrinterRecord, slots: SlotRecord[]): PrinterDto {
    const live = this.live.get(row.id);
    const known = this.live.has(row.id);
    const lastSeen = this.live.lastSeen(row.id);
    return {
      id: row.id,
      name: row.name,
      nickname: row.nickname,
      model: row.model,
      slot_count: row.slot_count,
      is_active: Boolean(row.is_active),
      display_order: row.display_order,
      camera_url: row.camera_url,
      camera_enabled: Boolean(row.camera_enabled),
      camera_discovered: Boolean(row.camera_discovered),
      api_type: row.api_type,
      api_host: row.api_host,
      api_key_set: Boolean(row.api_key),
      username: row.api_username,
      password_set: Boolean(row.api_password),
      ...this.bambuFields(row),
      is_favorite: Boolean(row.is_favorite),
      last_seen: lastSeen !== null ? new Date(lastSeen).toISOString() : row.last_seen,
      status: known ? live.status : isPrinterStatus(row.status) ? row.status : 'offline',
      online: known ? live.online : false,
      bed_temp: known ? live.bed_temp : row.bed_temp,
      bed_target_temp: known ? live.bed_target_temp : row.bed_target_temp,
      nozzle_temp: known ? live.nozzle_temp : row.nozzle_temp,
      nozzle_target_temp: known ? live.nozzle_target_temp : row.nozzle_target_temp,
      gcode_state: row.gcode_state,
      print_stage: known ? live.stage : row.print_stage,
      lights_on: known && live.lights_on !== null ? live.lights_on : row.lights_on === null ? null : Boolean(row.lights_on),
      nozzle_type: row.nozzle_type,
      nozzle_diameter: row.nozzle_diameter,
      fan_speed: known ? live.fan_speed : row.fan_speed,
      total_print_hours: Math.round(row.total_print_hours * 100) / 100,
      total_print_count: row.total_print_count,
      hours_since_maintenance: Math.round(row.hours_since_maintenance * 100) / 100,
      prints_since_maintenance: row.prints_since_maintenance,
      last_error_code: row.last_error_code,
      last_error_message: row.last_error_message,
      last_error_at: row.last_error_at,
      created_at: row.created_at,
      updated_at: row.updated_at,
      filament_slots: slots.map(toSlotDto),
      loaded_colors: slots.flatMap((s) => (s.color_hex ? [s.color_hex.toLowerCase()] : [])),
      live,
    };
  }
}
