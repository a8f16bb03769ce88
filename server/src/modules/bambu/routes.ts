import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { badRequest, HttpError } from '../../core/errors.js';
import { errorResponses } from '../../core/http/error-reply.js';
import type { OdinApp } from '../../core/http/types.js';
import { describeHms, describePrintError } from '../../printers/drivers/bambu/index.js';
import type { LiveStates } from '../../printers/live-states.js';
import { AmsUnitSchema } from '../../printers/state.js';
import type { PrinterHistoryService } from '../printer-history/service.js';
import { COMMAND_ERRORS, type PrinterCommands } from '../printers/commands.js';
import { PrinterIdParams, SlotSchema, TestConnectionResult } from '../printers/schemas.js';
import type { PrintersService } from '../printers/service.js';
import { BAMBU_FILAMENT_TYPES } from './filament-types.js';
import type { BambuService } from './service.js';

const SlotParams = Type.Object({
  printer_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  slot_number: Type.Integer({ minimum: 1, maximum: 64 }),
});
const SyncResult = Type.Object({ success: Type.Boolean(), synced: Type.Integer(), slots: Type.Array(SlotSchema) });

export function bambuRoutes(
  app: OdinApp,
  deps: {
    bambu: BambuService;
    printers: PrintersService;
    commands: PrinterCommands;
    live: LiveStates;
    history: PrinterHistoryService;
  },
): void {
  const { bambu, printers, commands, live, history } = deps;

  app.get(
    '/api/bambu/filament-types',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Bambu'],
        summary: 'Bambu tray_type codes and the material family ODIN files each under',
        response: { 200: Type.Array(Type.Object({ tray_type: Type.String(), material: Type.String(), description: Type.String() })) },
      },
    },
    () => [...BAMBU_FILAMENT_TYPES],
  );

  app.get(
    '/api/hms-codes/:code',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Monitoring'],
        summary: 'What a Bambu HMS code (AAAA_AAAA_CCCC_CCCC) or print_error (XXXX_XXXX or decimal) means',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Fa-fxX_-]+$' }) }),
        response: {
          200: Type.Object({
            code: Type.String(),
            message: Type.String(),
            severity: Type.String(),
            module: Type.String(),
            known: Type.Boolean(),
            url: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    (request) => {
      const raw = request.params.code.replace(/^HMS_/i, '');
      // Four groups of four hex digits is an HMS code; anything shorter is a print_error.
      return raw.replace(/[_-]/g, '').length === 16 ? describeHms(raw) : describePrintError(/^\d+$/.test(raw) ? Number(raw) : raw);
    },
  );

  app.post(
    '/api/bambu/test-connection',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['Bambu'],
        summary: 'Try a Bambu printer over LAN MQTT (serial, access code) without saving',
        body: Type.Object({
          api_host: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
          ip_address: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
          serial: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9]+$' }),
          access_code: Type.String({ minLength: 1, maxLength: 64 }),
          tls_insecure: Type.Optional(Type.Boolean()),
        }),
        response: { 200: TestConnectionResult, ...errorResponses(501) },
      },
    },
    async (request) => {
      const host = request.body.api_host ?? request.body.ip_address;
      if (!host) throw badRequest('host_required', 'api_host (or ip_address) is required');
      const connection = await printers.connectionForTest({
        api_type: 'bambu',
        api_host: host,
        serial: request.body.serial,
        access_code: request.body.access_code,
        ...(request.body.tls_insecure !== undefined ? { tls_insecure: request.body.tls_insecure } : {}),
      });
      return commands.test(connection);
    },
  );

  for (const path of ['/api/printers/:printer_id/sync-ams', '/api/printers/:printer_id/bambu/sync-ams'] as const) {
    app.post(
      path,
      {
        config: { access: 'operator', action: 'printers.edit' },
        schema: {
          tags: [path.includes('/bambu/') ? 'Bambu' : 'Printers'],
          summary: 'Copy the AMS trays the printer reports into its filament slots (type, colour; empty trays clear the slot)',
          params: PrinterIdParams,
          response: { 200: SyncResult, ...errorResponses(404, 409) },
        },
      },
      async (request) => ({ success: true, ...(await bambu.syncAms(request.params.printer_id, actorOf(request))) }),
    );
  }

  app.get(
    '/api/printers/:printer_id/unmatched-slots',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Bambu'],
        summary: 'Loaded slots with no spool assigned or confirmed yet',
        params: PrinterIdParams,
        response: { 200: Type.Array(SlotSchema), ...errorResponses(404) },
      },
    },
    (request) => bambu.unmatchedSlots(request.params.printer_id),
  );

  app.patch(
    '/api/printers/:printer_id/slots/:slot_number/manual-assign',
    {
      config: { access: 'operator', action: 'printers.edit' },
      schema: {
        tags: ['Bambu'],
        summary: 'Say by hand what is in a slot when automatic matching could not',
        params: SlotParams,
        body: Type.Object({
          spool_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()])),
          filament_type: Type.Optional(Type.String({ maxLength: 32, pattern: '^[A-Za-z0-9 +_./-]*$' })),
          color_hex: Type.Optional(Type.String({ pattern: '^#?[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$' })),
          color: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: SlotSchema, ...errorResponses(404) },
      },
    },
    (request) =>
      printers.updateSlot(request.params.printer_id, request.params.slot_number, {
        ...(request.body.filament_type !== undefined ? { filament_type: request.body.filament_type } : {}),
        ...(request.body.color_hex !== undefined ? { color_hex: request.body.color_hex } : {}),
        ...(request.body.color !== undefined ? { color: request.body.color } : {}),
        ...(request.body.spool_id !== undefined ? { assigned_spool_id: request.body.spool_id } : {}),
        spool_confirmed: true,
      }),
  );

  app.post(
    '/api/printers/:printer_id/lights',
    {
      config: { access: 'operator', action: 'printers.control' },
      schema: {
        tags: ['Printers'],
        summary: 'Switch the chamber light on or off (toggles when "on" is left out)',
        params: PrinterIdParams,
        body: Type.Optional(Type.Object({ on: Type.Optional(Type.Boolean()) })),
        response: { 200: Type.Object({ success: Type.Boolean(), lights_on: Type.Boolean(), message: Type.String() }), ...COMMAND_ERRORS },
      },
    },
    async (request) => {
      const { on, printerName } = await bambu.setLights(request.params.printer_id, request.body?.on, actorOf(request));
      return { success: true, lights_on: on, message: `Chamber light ${on ? 'on' : 'off'} on ${printerName}` };
    },
  );

  app.get(
    '/api/printers/:printer_id/hms-history',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Telemetry'],
        summary: 'Health (HMS) messages the printer raised, newest first, with when they cleared',
        params: PrinterIdParams,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              code: Type.String(),
              message: Type.Union([Type.String(), Type.Null()]),
              severity: Type.Union([Type.String(), Type.Null()]),
              source: Type.Union([Type.String(), Type.Null()]),
              occurred_at: Type.String(),
              cleared_at: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
          ...errorResponses(404),
        },
      },
    },
    (request) => history.hmsHistory(request.params.printer_id, request.query.limit),
  );

  app.get(
    '/api/printers/:printer_id/ams/environment',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['AMS'],
        summary: 'AMS humidity and temperature history for charts',
        params: PrinterIdParams,
        querystring: Type.Object({ hours: Type.Number({ minimum: 0.1, maximum: 24 * 90, default: 24 }) }),
        response: {
          200: Type.Array(
            Type.Object({
              ams_unit: Type.Integer(),
              humidity: Type.Union([Type.Number(), Type.Null()]),
              humidity_index: Type.Union([Type.Integer(), Type.Null()]),
              temperature: Type.Union([Type.Number(), Type.Null()]),
              recorded_at: Type.String(),
            }),
          ),
          ...errorResponses(404),
        },
      },
    },
    (request) => history.amsEnvironment(request.params.printer_id, new Date(Date.now() - request.query.hours * 3_600_000).toISOString()),
  );

  app.get(
    '/api/printers/:printer_id/ams/current',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['AMS'],
        summary: 'The AMS units as the printer reports them now',
        params: PrinterIdParams,
        response: {
          200: Type.Object({ printer_id: Type.Integer(), online: Type.Boolean(), units: Type.Array(AmsUnitSchema) }),
          ...errorResponses(404, 409),
        },
      },
    },
    async (request) => {
      const printer = await printers.get(request.params.printer_id);
      const state = live.get(printer.id);
      if (!printer.api_type) throw new HttpError(409, 'printer_not_configured', `${printer.name} has no printer connection configured`);
      return { printer_id: printer.id, online: state.online, units: state.ams ?? [] };
    },
  );
}
