import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import type { OdinApp } from '../../core/http/types.js';
import type { CombinedFilaments } from './combined.js';
import type { LowStockThresholds } from './low-stock.js';
import {
  CombinedFilamentSchema,
  CreateFilamentBody,
  FilamentIdParams,
  FilamentQuery,
  FilamentSchema,
  UpdateFilamentBody,
} from './schemas.js';
import type { FilamentsService } from './service.js';

const Thresholds = Type.Record(Type.String({ minLength: 1, maxLength: 32 }), Type.Number({ minimum: 0, maximum: 1_000_000 }), {
  description: 'Grams per material (PLA, PETG…): warn when the active spools of that material hold less',
});

export function filamentsRoutes(
  app: OdinApp,
  deps: { filaments: FilamentsService; combined: CombinedFilaments; thresholds: LowStockThresholds },
): void {
  const { filaments, combined, thresholds } = deps;
  const tags = ['Filaments'];

  app.get(
    '/api/filaments',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'The filament library, with the stock of each filament',
        querystring: FilamentQuery,
        response: { 200: Type.Array(FilamentSchema) },
      },
    },
    (request) => filaments.list(request.query),
  );

  app.post(
    '/api/filaments',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Add a filament to the library',
        body: CreateFilamentBody,
        response: { 200: FilamentSchema },
        errors: [400],
      },
    },
    (request) => filaments.create(request.body, actorOf(request)),
  );

  app.get(
    '/api/filaments/combined',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "The library's filaments and, when Spoolman is configured and answers, Spoolman's",
        response: {
          200: Type.Object({
            filaments: Type.Array(CombinedFilamentSchema),
            spoolman: Type.Union([Type.Literal('off'), Type.Literal('ok'), Type.Literal('unreachable')]),
            spoolman_error: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    () => combined.list(),
  );

  app.get(
    '/api/filaments/low-stock-thresholds',
    { config: { access: 'viewer' }, schema: { tags, summary: 'Low-stock thresholds per material (grams)', response: { 200: Thresholds } } },
    async () => Object.fromEntries(await thresholds.byMaterial()),
  );

  app.put(
    '/api/filaments/low-stock-thresholds',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: { tags, summary: 'Replace the low-stock thresholds per material', body: Thresholds, response: { 200: Thresholds } },
    },
    (request) => thresholds.replace(request.body, actorOf(request)),
  );

  app.get(
    '/api/filaments/:filament_id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One filament of the library', params: FilamentIdParams, response: { 200: FilamentSchema }, errors: [404] },
    },
    (request) => filaments.get(request.params.filament_id),
  );

  app.patch(
    '/api/filaments/:filament_id',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: 'Change a filament of the library',
        params: FilamentIdParams,
        body: UpdateFilamentBody,
        response: { 200: FilamentSchema },
        errors: [400, 404],
      },
    },
    (request) => filaments.update(request.params.filament_id, request.body, actorOf(request)),
  );

  app.delete(
    '/api/filaments/:filament_id',
    {
      config: { access: 'operator', action: 'spools.delete' },
      schema: { tags, summary: 'Remove a filament no spool refers to (204)', params: FilamentIdParams, errors: [404, 409] },
    },
    async (request, reply) => {
      await filaments.delete(request.params.filament_id, actorOf(request));
      return reply.status(204).send();
    },
  );
}
