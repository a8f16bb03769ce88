import QRCode from 'qrcode';
import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { badRequest } from '../../core/errors.js';
import { sendCsv } from '../../core/http/csv.js';
import { sendRawJson } from '../../core/http/raw-json.js';
import type { OdinApp } from '../../core/http/types.js';
import { SlotSchema } from '../printers/schemas.js';
import { DEFAULT_LABEL_SIZE, LABEL_SIZES, type LabelSpool, MAX_LABELS_PER_BATCH, renderLabelPng, renderLabelsPdf } from './labels.js';
import type { SpoolListCache } from './list-cache.js';
import {
  AssignBody,
  CreateSpoolBody,
  LoadBody,
  QrParams,
  QrSchema,
  ScanAssignBody,
  SlotParams,
  SpoolDetailSchema,
  type SpoolDto,
  SpoolIdParams,
  SpoolQuery,
  SpoolSchema,
  UnloadBody,
  UpdateSpoolBody,
  UseBody,
  WeighBody,
} from './schemas.js';
import type { SpoolsService } from './service.js';
import type { SlotMatcher } from './slot-matcher.js';
import { NeedsAttentionSchema } from './slot-matcher.js';

const USAGE_COLUMNS = [
  'used_at',
  'spool_id',
  'qr_code',
  'brand',
  'name',
  'material',
  'color_hex',
  'weight_used_g',
  'kind',
  'remaining_after_g',
  'printer_name',
  'job_id',
  'print_job_id',
  'notes',
] as const;

const LabelSizeId = Type.Optional(Type.String({ maxLength: 32, description: `One of: ${LABEL_SIZES.map((s) => s.id).join(', ')}` }));

function labelOf(spool: SpoolDto): LabelSpool {
  return {
    qr_code: spool.qr_code,
    material: spool.material,
    brand: spool.filament_brand,
    name: spool.filament_name,
    color_hex: spool.color_hex,
    remaining_weight_g: spool.remaining_weight_g,
    initial_weight_g: spool.initial_weight_g,
    lot_number: spool.lot_number,
  };
}

function sizeOrFail(size: string | undefined): string {
  const id = size ?? DEFAULT_LABEL_SIZE;
  if (!LABEL_SIZES.some((s) => s.id === id))
    throw badRequest('label_size_unknown', `Label size "${id}" is not one of ${LABEL_SIZES.map((s) => s.id).join(', ')}`);
  return id;
}

export function spoolsRoutes(app: OdinApp, deps: { spools: SpoolsService; matcher: SlotMatcher; listCache: SpoolListCache }): void {
  const { spools, matcher, listCache } = deps;
  const tags = ['Spools'];

  app.get(
    '/api/spools',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Spools, filtered (archived ones only when asked for)',
        querystring: SpoolQuery,
        response: { 200: Type.Array(SpoolSchema) },
      },
    },
    async (request, reply) => {
      const query = request.query;
      // The unfiltered list (what the pages load) comes from the cache; filtered ones are built each time.
      if (Object.values(query).every((value) => value === undefined)) {
        const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
        const body = await listCache.get(async () => Buffer.from(JSON.stringify(await spools.list())), gzip ? 'gzip' : 'identity');
        reply.header('vary', 'accept-encoding');
        if (gzip) reply.header('content-encoding', 'gzip');
        return sendRawJson(reply, body);
      }
      return spools.list(query);
    },
  );

  app.post(
    '/api/spools',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Add a spool, or `quantity` identical spools (the answer is the first; `X-Created-Ids` lists all)',
        body: CreateSpoolBody,
        response: { 200: SpoolSchema },
        errors: [400, 404, 409],
      },
    },
    async (request, reply) => {
      const created = await spools.create(request.body, actorOf(request));
      reply.header('x-created-ids', created.map((s) => s.id).join(','));
      const [first] = created;
      if (!first) throw new Error('bulk create returned no spool');
      return first;
    },
  );

  app.post(
    '/api/spools/bulk',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Add `quantity` identical spools, each with its own code',
        body: CreateSpoolBody,
        response: { 200: Type.Array(SpoolSchema) },
        errors: [400, 404, 409],
      },
    },
    (request) => spools.create(request.body, actorOf(request)),
  );

  app.get(
    '/api/spools/lookup/:qr_code',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'The spool with this QR code', params: QrParams, response: { 200: SpoolSchema }, errors: [404] },
    },
    (request) => spools.byQr(request.params.qr_code),
  );

  app.get(
    '/api/spools/labels/batch',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A PDF of labels for several spools (public, so a label printer can fetch it)',
        querystring: Type.Object({
          ids: Type.String({ pattern: '^\\d+(,\\d+)*$', maxLength: 6000, description: 'Spool ids, comma-separated' }),
          size: LabelSizeId,
          layout: Type.Optional(Type.Union([Type.Literal('roll'), Type.Literal('a4'), Type.Literal('letter')], { default: 'roll' })),
        }),
        errors: [400, 404],
      },
    },
    async (request, reply) => {
      const ids = [...new Set(request.query.ids.split(',').map(Number))];
      if (ids.length > MAX_LABELS_PER_BATCH)
        throw badRequest('too_many_labels', `At most ${MAX_LABELS_PER_BATCH} labels per batch (asked for ${ids.length})`);
      const size = sizeOrFail(request.query.size);
      const found = await spools.many(ids);
      const byId = new Map(found.map((s) => [s.id, s]));
      const missing = ids.filter((id) => !byId.has(id));
      if (missing.length > 0) throw badRequest('spool_not_found', `No spool with id ${missing.slice(0, 10).join(', ')}`);
      const pdf = await renderLabelsPdf(
        ids.flatMap((id) => {
          const spool = byId.get(id);
          return spool ? [labelOf(spool)] : [];
        }),
        size,
        request.query.layout ?? 'roll',
      );
      return reply.type('application/pdf').header('content-disposition', `inline; filename="spool-labels.pdf"`).send(pdf);
    },
  );

  app.post(
    '/api/spools/scan-assign',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Load the spool whose QR code was scanned into a printer slot',
        body: ScanAssignBody,
        response: { 200: SpoolSchema },
        errors: [404, 409],
      },
    },
    (request) => spools.loadByQr(request.body.qr_code, request.body.printer_id, request.body.slot_number, actorOf(request)),
  );

  app.get(
    '/api/spools/:spool_id',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'A spool with its history of use',
        params: SpoolIdParams,
        response: { 200: SpoolDetailSchema },
        errors: [404],
      },
    },
    (request) => spools.detail(request.params.spool_id),
  );

  app.patch(
    '/api/spools/:spool_id',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Change a spool',
        params: SpoolIdParams,
        body: UpdateSpoolBody,
        response: { 200: SpoolSchema },
        errors: [400, 404, 409],
      },
    },
    (request) => spools.update(request.params.spool_id, request.body, actorOf(request)),
  );

  app.delete(
    '/api/spools/:spool_id',
    {
      config: { access: 'operator', action: 'spools.delete' },
      schema: {
        tags,
        summary: 'Delete a spool; one with a history of use is archived instead, so reports keep it',
        params: SpoolIdParams,
        response: { 200: Type.Object({ deleted: Type.Boolean(), archived: Type.Boolean() }) },
        errors: [404],
      },
    },
    (request) => spools.delete(request.params.spool_id, actorOf(request)),
  );

  app.post(
    '/api/spools/:spool_id/load',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Load the spool into a printer slot',
        params: SpoolIdParams,
        body: LoadBody,
        response: { 200: SpoolSchema },
        errors: [404, 409],
      },
    },
    (request) => spools.load(request.params.spool_id, request.body.printer_id, request.body.slot_number, actorOf(request)),
  );

  app.post(
    '/api/spools/:spool_id/unload',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Take the spool out of its printer, back to storage',
        params: SpoolIdParams,
        body: Type.Optional(UnloadBody),
        response: { 200: SpoolSchema },
        errors: [404, 409],
      },
    },
    (request) => spools.unload(request.params.spool_id, request.body?.storage_location, actorOf(request)),
  );

  app.post(
    '/api/spools/:spool_id/use',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Record filament drawn from the spool (grams)',
        params: SpoolIdParams,
        body: UseBody,
        response: { 200: SpoolSchema },
        errors: [404, 409],
      },
    },
    (request) =>
      spools.use(
        request.params.spool_id,
        request.body.weight_used_g,
        { jobId: request.body.job_id ?? null, notes: request.body.notes ?? null },
        actorOf(request),
      ),
  );

  app.post(
    '/api/spools/:spool_id/weigh',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Set what is left from a scale reading (gross weight minus the empty spool)',
        params: SpoolIdParams,
        body: WeighBody,
        response: { 200: SpoolSchema },
        errors: [400, 404],
      },
    },
    (request) => spools.weigh(request.params.spool_id, request.body.gross_weight_g, request.body.notes, actorOf(request)),
  );

  app.get(
    '/api/spools/:spool_id/qr',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "The spool's QR code (as SVG) and the addresses of its labels",
        params: SpoolIdParams,
        response: { 200: QrSchema },
        errors: [404],
      },
    },
    async (request) => {
      const spool = await spools.get(request.params.spool_id);
      const svg = await QRCode.toString(spool.qr_code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return {
        spool_id: spool.id,
        qr_code: spool.qr_code,
        label_png_url: `/api/spools/${spool.id}/label?format=png`,
        label_pdf_url: `/api/spools/${spool.id}/label?format=pdf`,
        svg,
      };
    },
  );

  app.get(
    '/api/spools/:spool_id/label',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A printable label (PNG or PDF; public, so a label printer can fetch it)',
        params: SpoolIdParams,
        querystring: Type.Object({
          size: LabelSizeId,
          format: Type.Optional(Type.Union([Type.Literal('png'), Type.Literal('pdf')], { default: 'png' })),
          dpi: Type.Optional(Type.Integer({ minimum: 72, maximum: 600, default: 300 })),
        }),
        errors: [400, 404],
      },
    },
    async (request, reply) => {
      const spool = await spools.get(request.params.spool_id);
      const size = sizeOrFail(request.query.size);
      const name = `label-${spool.qr_code}`;
      if (request.query.format === 'pdf') {
        const pdf = await renderLabelsPdf([labelOf(spool)], size, 'roll');
        return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send(pdf);
      }
      const png = await renderLabelPng(labelOf(spool), size, request.query.dpi ?? 300);
      return reply.type('image/png').header('content-disposition', `inline; filename="${name}.png"`).send(png);
    },
  );

  app.get(
    '/api/spools/label-sizes',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'The label sizes ODIN prints',
        response: {
          200: Type.Array(
            Type.Object({ id: Type.String(), description: Type.String(), width_mm: Type.Number(), height_mm: Type.Number() }),
          ),
        },
      },
    },
    () => LABEL_SIZES.map((s) => ({ id: s.id, description: s.description, width_mm: s.width_mm, height_mm: s.height_mm })),
  );

  // ---- exports -----------------------------------------------------------------------------------

  const SPOOL_COLUMNS = [
    'id',
    'qr_code',
    'filament_brand',
    'filament_name',
    'material',
    'color_hex',
    'status',
    'initial_weight_g',
    'remaining_weight_g',
    'remaining_percent',
    'spool_weight_g',
    'price',
    'cost_per_gram',
    'vendor',
    'lot_number',
    'purchase_date',
    'location_printer_name',
    'location_slot',
    'storage_location',
    'rfid_tag',
    'spoolman_spool_id',
    'source',
    'last_used_at',
    'created_at',
    'notes',
  ] as const satisfies readonly (keyof SpoolDto)[];

  app.get(
    '/api/export/spools',
    {
      config: { access: 'operator' },
      schema: { tags: ['Export'], summary: 'Every spool (archived too) as CSV', produces: ['text/csv'] },
    },
    async (request, reply) => {
      return sendCsv<SpoolDto>(reply, 'spools', SPOOL_COLUMNS, await spools.list({ status: 'all' }));
    },
  );

  app.get(
    '/api/export/filament-usage',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['Export'],
        summary: 'Every recorded use of filament (by hand, by jobs, AMS readings, weighings) as CSV',
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const rows = await spools.usageHistory();
      return sendCsv<(typeof rows)[number]>(reply, 'filament-usage', USAGE_COLUMNS, rows);
    },
  );

  // ---- slots ------------------------------------------------------------------------------------

  app.post(
    '/api/printers/:printer_id/slots/:slot_number/assign',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Say which spool is in a slot',
        params: SlotParams,
        body: AssignBody,
        response: { 200: SlotSchema },
        errors: [404, 409],
      },
    },
    async (request) => {
      const { printer_id, slot_number } = request.params;
      await spools.load(request.body.spool_id, printer_id, slot_number, actorOf(request));
      return matcher.slot(printer_id, slot_number);
    },
  );

  app.post(
    '/api/printers/:printer_id/slots/:slot_number/confirm',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Confirm the spool ODIN suggested for a slot',
        params: SlotParams,
        response: { 200: SlotSchema },
        errors: [404, 409],
      },
    },
    (request) => matcher.confirm(request.params.printer_id, request.params.slot_number, actorOf(request)),
  );

  app.get(
    '/api/printers/:printer_id/slots/needs-attention',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Slots whose spool is unknown, only suggested, or does not match what the printer reports, with candidate spools',
        params: Type.Object({ printer_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        response: { 200: Type.Array(NeedsAttentionSchema) },
        errors: [404],
      },
    },
    (request) => matcher.needsAttention(request.params.printer_id),
  );
}
