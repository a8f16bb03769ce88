import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import type { OdinApp } from '../../core/http/types.js';
import { SpoolmanFilamentSchema, SpoolmanSpoolSchema } from './client.js';
import type { SpoolmanService } from './service.js';

export function spoolmanRoutes(app: OdinApp, deps: { spoolman: SpoolmanService }): void {
  const { spoolman } = deps;
  const tags = ['Spoolman'];

  app.get(
    '/api/spoolman/test',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Check that the configured Spoolman answers (502 with the reason when it does not)',
        response: { 200: Type.Object({ ok: Type.Boolean(), version: Type.Union([Type.String(), Type.Null()]) }) },
        errors: [400, 502],
      },
    },
    () => spoolman.test(),
  );

  app.get(
    '/api/spoolman/spools',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: "Spoolman's spools", response: { 200: Type.Array(SpoolmanSpoolSchema) }, errors: [400, 502] },
    },
    () => spoolman.listSpools(),
  );

  app.get(
    '/api/spoolman/filaments',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: "Spoolman's filaments", response: { 200: Type.Array(SpoolmanFilamentSchema) }, errors: [400, 502] },
    },
    () => spoolman.listFilaments(),
  );

  app.post(
    '/api/spoolman/sync',
    {
      config: { access: 'operator', action: 'spools.edit' },
      schema: {
        tags,
        summary: "Import Spoolman's filaments and spools (again: updates what was imported before)",
        response: {
          200: Type.Object({
            filaments_created: Type.Integer(),
            filaments_updated: Type.Integer(),
            spools_created: Type.Integer(),
            spools_updated: Type.Integer(),
          }),
        },
        errors: [400, 502],
      },
    },
    (request) => spoolman.sync(actorOf(request)),
  );
}
