import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { errorResponses } from '../../core/http/error-reply.js';
import type { OdinApp } from '../../core/http/types.js';
import type { LiveStates } from '../../printers/live-states.js';
import type { PrinterHistoryService } from '../printer-history/service.js';
import { COMMAND_ERRORS, type PrinterCommands } from './commands.js';
import {
  CreatePrinterBody,
  InstallNozzleBody,
  LiveStatusSchema,
  NozzleSchema,
  PrinterIdParams,
  PrinterSchema,
  SlotSchema,
  TestConnectionBody,
  TestConnectionResult,
  UpdatePrinterBody,
  UpdateSlotBody,
} from './schemas.js';
import type { PrintersService } from './service.js';

const CommandResult = Type.Object({ success: Type.Boolean(), message: Type.String() });

export function printersRoutes(
  app: OdinApp,
  deps: { printers: PrintersService; commands: PrinterCommands; live: LiveStates; history: PrinterHistoryService },
): void {
  const { printers, commands, live, history } = deps;
  const tags = ['Printers'];

  const liveStatus = (printer: { id: number; name: string; api_type: string | null }) => {
    const seen = live.lastSeen(printer.id);
    return {
      printer_id: printer.id,
      name: printer.name,
      api_type: printer.api_type,
      last_seen: seen ? new Date(seen).toISOString() : null,
      ...live.get(printer.id),
    };
  };

  app.get(
    '/api/printers',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'List printers with their live state', response: { 200: Type.Array(PrinterSchema) } },
    },
    () => printers.list(),
  );

  app.post(
    '/api/printers',
    {
      config: { access: 'operator', action: 'printers.add' },
      schema: {
        tags,
        summary: 'Add a printer (201); credentials are stored encrypted and never returned',
        body: CreatePrinterBody,
        response: { 201: PrinterSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await printers.create(request.body, actorOf(request))),
  );

  app.post(
    '/api/printers/reorder',
    {
      config: { access: 'operator', action: 'printers.reorder' },
      schema: {
        tags,
        summary: 'Set the display order: printer ids in the order to show them',
        body: Type.Object({ printer_ids: Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { maxItems: 10000 }) }),
        response: { 200: CommandResult },
      },
    },
    async (request) => {
      await printers.reorder(request.body.printer_ids);
      return { success: true, message: 'Order saved' };
    },
  );

  app.post(
    '/api/printers/test-connection',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary: 'Try to reach a printer with these settings, without saving',
        body: TestConnectionBody,
        response: { 200: TestConnectionResult, ...errorResponses(404, 501) },
      },
    },
    async (request) => {
      return commands.test(await printers.connectionForTest(request.body));
    },
  );

  app.get(
    '/api/printers/live-status',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'Live state of every printer', response: { 200: Type.Array(LiveStatusSchema) } },
    },
    async () => (await printers.list()).map(liveStatus),
  );

  app.get(
    '/api/printers/:printer_id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One printer', params: PrinterIdParams, response: { 200: PrinterSchema, ...errorResponses(404) } },
    },
    (request) => printers.get(request.params.printer_id),
  );

  app.patch(
    '/api/printers/:printer_id',
    {
      config: { access: 'operator', action: 'printers.edit' },
      schema: {
        tags,
        summary: 'Change a printer; a new connection takes effect at once',
        params: PrinterIdParams,
        body: UpdatePrinterBody,
        response: { 200: PrinterSchema, ...errorResponses(404) },
      },
    },
    (request) => printers.update(request.params.printer_id, request.body, actorOf(request)),
  );

  app.delete(
    '/api/printers/:printer_id',
    {
      config: { access: 'operator', action: 'printers.delete' },
      schema: { tags, summary: 'Remove a printer (204)', params: PrinterIdParams, response: { 204: Type.Null(), ...errorResponses(404) } },
    },
    async (request, reply) => {
      await printers.delete(request.params.printer_id, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/printers/:printer_id/live-status',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Live state of one printer',
        params: PrinterIdParams,
        response: { 200: LiveStatusSchema, ...errorResponses(404) },
      },
    },
    async (request) => liveStatus(await printers.get(request.params.printer_id)),
  );

  const control = [
    ['pause', 'Pause the current print', 'pause'],
    ['resume', 'Resume a paused print', 'resume'],
    ['stop', 'Stop (cancel) the current print', 'stop'],
  ] as const;
  for (const [path, summary, command] of control) {
    app.post(
      `/api/printers/:printer_id/${path}`,
      {
        config: { access: 'operator', action: 'printers.control' },
        schema: { tags, summary, params: PrinterIdParams, response: { 200: CommandResult, ...COMMAND_ERRORS } },
      },
      async (request) => {
        const printer = await printers.get(request.params.printer_id);
        await commands.control(printer, command, actorOf(request));
        return { success: true, message: `${command.charAt(0).toUpperCase()}${command.slice(1)} sent to ${printer.name}` };
      },
    );
  }

  app.get(
    '/api/printers/:printer_id/slots',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Filament'],
        summary: 'Filament slots of a printer',
        params: PrinterIdParams,
        response: { 200: Type.Array(SlotSchema), ...errorResponses(404) },
      },
    },
    (request) => printers.slots(request.params.printer_id),
  );

  app.patch(
    '/api/printers/:printer_id/slots/:slot_number',
    {
      config: { access: 'operator', action: 'printers.edit' },
      schema: {
        tags: ['Filament'],
        summary: 'Change what is loaded in a slot',
        params: Type.Object({
          printer_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
          slot_number: Type.Integer({ minimum: 1, maximum: 16 }),
        }),
        body: UpdateSlotBody,
        response: { 200: SlotSchema, ...errorResponses(404) },
      },
    },
    (request) => printers.updateSlot(request.params.printer_id, request.params.slot_number, request.body),
  );

  app.get(
    '/api/printers/:printer_id/telemetry',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Telemetry'],
        summary: 'Temperature history recorded while printing (one row a minute)',
        params: PrinterIdParams,
        querystring: Type.Object({ hours: Type.Number({ minimum: 0.1, maximum: 24 * 90, default: 24 }) }),
        response: {
          200: Type.Array(
            Type.Object({
              recorded_at: Type.String(),
              bed_temp: Type.Union([Type.Number(), Type.Null()]),
              nozzle_temp: Type.Union([Type.Number(), Type.Null()]),
              bed_target: Type.Union([Type.Number(), Type.Null()]),
              nozzle_target: Type.Union([Type.Number(), Type.Null()]),
              fan_speed: Type.Union([Type.Number(), Type.Null()]),
            }),
          ),
          ...errorResponses(404),
        },
      },
    },
    (request) => history.telemetry(request.params.printer_id, new Date(Date.now() - request.query.hours * 3_600_000).toISOString()),
  );

  const nozzleTags = ['Telemetry'];
  app.get(
    '/api/printers/:printer_id/nozzle',
    {
      config: { access: 'viewer' },
      schema: {
        tags: nozzleTags,
        summary: 'The nozzle installed now (null if none recorded)',
        params: PrinterIdParams,
        response: { 200: Type.Union([NozzleSchema, Type.Null()]), ...errorResponses(404) },
      },
    },
    (request) => printers.currentNozzle(request.params.printer_id),
  );
  app.post(
    '/api/printers/:printer_id/nozzle',
    {
      config: { access: 'operator', action: 'maintenance.log' },
      schema: {
        tags: nozzleTags,
        summary: 'Install a nozzle (retires the previous one)',
        params: PrinterIdParams,
        body: InstallNozzleBody,
        response: { 200: NozzleSchema, ...errorResponses(404) },
      },
    },
    (request) => printers.installNozzle(request.params.printer_id, request.body, actorOf(request)),
  );
  app.patch(
    '/api/printers/:printer_id/nozzle/:nozzle_id/retire',
    {
      config: { access: 'operator', action: 'maintenance.log' },
      schema: {
        tags: nozzleTags,
        summary: 'Retire a nozzle',
        params: Type.Object({
          printer_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
          nozzle_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
        }),
        response: { 200: NozzleSchema, ...errorResponses(404, 409) },
      },
    },
    (request) => printers.retireNozzle(request.params.printer_id, request.params.nozzle_id),
  );
  app.get(
    '/api/printers/:printer_id/nozzle/history',
    {
      config: { access: 'viewer' },
      schema: {
        tags: nozzleTags,
        summary: 'Every nozzle the printer has had, newest first',
        params: PrinterIdParams,
        response: { 200: Type.Array(NozzleSchema), ...errorResponses(404) },
      },
    },
    (request) => printers.nozzleHistory(request.params.printer_id),
  );
}
