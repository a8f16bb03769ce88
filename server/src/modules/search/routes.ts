import { type Static, Type } from 'typebox';

import type { OdinApp } from '../../core/http/types.js';
import type { ModelsService } from '../models/service.js';
import type { PrintFilesService } from '../print-files/service.js';
import type { PrintersService } from '../printers/service.js';
import type { SpoolsService } from '../spools/service.js';

const Hit = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  subtitle: Type.Union([Type.String(), Type.Null()]),
  /** Where the web app shows it. */
  path: Type.String(),
});
type HitDto = Static<typeof Hit>;

const SearchResult = Type.Object({
  query: Type.String(),
  printers: Type.Array(Hit),
  models: Type.Array(Hit),
  print_files: Type.Array(Hit),
  spools: Type.Array(Hit),
  jobs: Type.Array(Hit),
});

const contains = (text: string | null | undefined, needle: string) => (text ?? '').toLowerCase().includes(needle);

/** One box for everything: printers, models, print files and spools by name, code, material. */
export function searchRoutes(
  app: OdinApp,
  deps: { printers: PrintersService; models: ModelsService; files: PrintFilesService; spools: SpoolsService },
): void {
  app.get(
    '/api/search',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Search'],
        summary: 'Search printers, models, print files and spools',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 100 }),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 8 })),
        }),
        response: { 200: SearchResult },
      },
    },
    async (request) => {
      const q = request.query.q.trim().toLowerCase();
      const limit = request.query.limit ?? 8;
      const [printers, models, files, spools] = await Promise.all([
        deps.printers.list(),
        deps.models.list({ search: q }),
        deps.files.list({ search: q, limit }),
        deps.spools.list({ search: q, limit }),
      ]);
      const take = (hits: HitDto[]) => hits.slice(0, limit);
      return {
        query: request.query.q,
        printers: take(
          printers
            .filter((p) => contains(p.name, q) || contains(p.nickname, q) || contains(p.model, q))
            .map((p) => ({ id: p.id, title: p.name, subtitle: p.model, path: `/printers/${p.id}` })),
        ),
        models: take(models.map((m) => ({ id: m.id, title: m.name, subtitle: m.category, path: `/models/${m.id}` }))),
        print_files: files.map((f) => ({ id: f.id, title: f.original_filename, subtitle: f.project_name, path: `/files/${f.id}` })),
        spools: spools.map((s) => ({
          id: s.id,
          title: `${s.filament_brand} ${s.filament_name}`,
          subtitle: `${s.qr_code} · ${s.material} · ${Math.round(s.remaining_weight_g)} g`,
          path: `/spools/${s.id}`,
        })),
        jobs: [],
      };
    },
  );
}
