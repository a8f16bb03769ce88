import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { sendCsv } from '../../core/http/csv.js';
import type { OdinApp } from '../../core/http/types.js';
import { CostBreakdownSchema } from '../pricing/pricing.js';
import { MeshSchema, PrintFileSchema } from '../print-files/schemas.js';
import { CreateModelBody, type ModelDto, ModelIdParams, ModelQuery, ModelSchema, UpdateModelBody } from './schemas.js';
import type { ModelsService } from './service.js';

const CSV_COLUMNS = [
  'id',
  'name',
  'category',
  'build_time_hours',
  'default_filament_type',
  'total_filament_grams',
  'units_per_bed',
  'cost_per_item',
  'markup_percent',
  'print_file_id',
  'variant_count',
  'is_favorite',
  'created_at',
  'notes',
] as const satisfies readonly (keyof ModelDto)[];

export function modelsRoutes(app: OdinApp, deps: { models: ModelsService }): void {
  const { models } = deps;
  const tags = ['Models'];

  app.get(
    '/api/models',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'Models', querystring: ModelQuery, response: { 200: Type.Array(ModelSchema) } },
    },
    (request) => models.list(request.query),
  );

  app.get(
    '/api/models-with-pricing',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Models with their cost per item and suggested price',
        response: { 200: Type.Array(Type.Intersect([ModelSchema, Type.Object({ cost: CostBreakdownSchema })])) },
      },
    },
    () => models.withPricing(),
  );

  app.post(
    '/api/models',
    {
      config: { access: 'operator', action: 'models.create' },
      schema: {
        tags,
        summary: 'Create a model (201); from a print file, its time, colours and grams are taken unless given',
        body: CreateModelBody,
        response: { 201: ModelSchema },
        errors: [400, 404],
      },
    },
    async (request, reply) => reply.status(201).send(await models.create(request.body, actorOf(request))),
  );

  app.get(
    '/api/models/:model_id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One model', params: ModelIdParams, response: { 200: ModelSchema }, errors: [404] },
    },
    (request) => models.get(request.params.model_id),
  );

  app.patch(
    '/api/models/:model_id',
    {
      config: { access: 'operator', action: 'models.edit' },
      schema: {
        tags,
        summary: 'Change a model',
        params: ModelIdParams,
        body: UpdateModelBody,
        response: { 200: ModelSchema },
        errors: [400, 404],
      },
    },
    (request) => models.update(request.params.model_id, request.body, actorOf(request)),
  );

  app.delete(
    '/api/models/:model_id',
    {
      config: { access: 'operator', action: 'models.delete' },
      schema: { tags, summary: 'Delete a model (204); its print files stay in the library', params: ModelIdParams, errors: [404] },
    },
    async (request, reply) => {
      await models.delete(request.params.model_id, actorOf(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/models/:model_id/variants',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'The print files of a model',
        params: ModelIdParams,
        response: { 200: Type.Array(PrintFileSchema) },
        errors: [404],
      },
    },
    (request) => models.variants(request.params.model_id),
  );

  app.delete(
    '/api/models/:model_id/variants/:variant_id',
    {
      config: { access: 'operator', action: 'models.edit' },
      schema: {
        tags,
        summary: 'Take a print file off a model (the file stays in the library)',
        params: Type.Object({
          model_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
          variant_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
        }),
        response: { 200: Type.Object({ message: Type.String() }) },
        errors: [404],
      },
    },
    async (request) => {
      await models.removeVariant(request.params.model_id, request.params.variant_id, actorOf(request));
      return { message: 'Variant removed' };
    },
  );

  app.get(
    '/api/models/:model_id/cost',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Cost breakdown and suggested price from the pricing configuration',
        params: ModelIdParams,
        response: { 200: Type.Intersect([CostBreakdownSchema, Type.Object({ model_id: Type.Integer() })]) },
        errors: [404],
      },
    },
    (request) => models.cost(request.params.model_id),
  );

  app.get(
    '/api/models/:model_id/mesh',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['3D Viewer'],
        summary: "The model's preview mesh (from its print file)",
        params: ModelIdParams,
        response: { 200: MeshSchema },
        errors: [404],
      },
    },
    (request) => models.mesh(request.params.model_id),
  );

  app.get(
    '/api/export/models',
    { config: { access: 'operator' }, schema: { tags: ['Export'], summary: 'Models as CSV', produces: ['text/csv'] } },
    async (request, reply) => {
      return sendCsv<ModelDto>(reply, 'models', CSV_COLUMNS, await models.list());
    },
  );
}
