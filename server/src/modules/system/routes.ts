import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { type Database, ping } from '../../core/database/database.js';
import { badRequest } from '../../core/errors.js';
import type { OdinApp } from '../../core/http/types.js';
import { VERSION } from '../../core/version.js';
import { type SettingsService, SUPPORTED_LANGUAGES } from './settings-service.js';

const TIME = '^$|^([01]\\d|2[0-3]):[0-5]\\d$';

/** Any IANA name the runtime can format in (Intl.supportedValuesOf lists only canonical ICU names). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const ConfigSchema = Type.Object({
  spoolman_url: Type.String(),
  blackout_start: Type.String(),
  blackout_end: Type.String(),
  timezone: Type.String(),
});
const ConfigUpdate = Type.Object({
  spoolman_url: Type.Optional(Type.Union([Type.String({ maxLength: 2048, pattern: '^https?://[^\\s]+$' }), Type.Literal('')])),
  blackout_start: Type.Optional(Type.String({ pattern: TIME })),
  blackout_end: Type.Optional(Type.String({ pattern: TIME })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
});
const LanguageSchema = Type.Union([Type.Literal('en'), Type.Literal('de')]);

export function systemRoutes(app: OdinApp, deps: { database: Database; settings: SettingsService }): void {
  const { database, settings } = deps;

  const HealthSchema = Type.Object({
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    version: Type.String(),
    database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
    database_type: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  });
  for (const url of ['/health', '/api/health']) {
    app.get(
      url,
      {
        config: { access: 'public' },
        schema: { tags: ['System'], summary: 'Health and version', response: { 200: HealthSchema, 503: HealthSchema } },
      },
      async (_request, reply) => {
        const up = await ping(database);
        return reply.status(up ? 200 : 503).send({
          status: up ? 'ok' : 'degraded',
          version: VERSION,
          database: up ? 'ok' : 'unreachable',
          database_type: database.dialect,
        });
      },
    );
  }

  app.get(
    '/api/config',
    { config: { access: 'viewer' }, schema: { tags: ['Config'], summary: 'General farm configuration', response: { 200: ConfigSchema } } },
    () => settings.getConfig(),
  );

  app.put(
    '/api/config',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Config'],
        summary: 'Change the general configuration (takes effect at once, no restart)',
        body: ConfigUpdate,
        response: { 200: Type.Object({ ...ConfigSchema.properties, success: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { blackout_start, blackout_end, timezone } = request.body;
      if (timezone !== undefined && !isTimeZone(timezone)) throw badRequest('invalid_timezone', `Unknown time zone "${timezone}"`);
      const current = await settings.getConfig();
      const start = blackout_start ?? current.blackout_start;
      const end = blackout_end ?? current.blackout_end;
      if ((start === '') !== (end === '')) throw badRequest('blackout_incomplete', 'Set both blackout_start and blackout_end, or neither');
      const config = await settings.updateConfig(request.body, actorOf(request));
      return { ...config, success: true };
    },
  );

  app.get(
    '/api/settings/language',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Settings'],
        summary: 'Interface language',
        response: { 200: Type.Object({ language: LanguageSchema, supported: Type.Array(Type.String()) }) },
      },
    },
    async () => ({ language: await settings.getLanguage(), supported: [...SUPPORTED_LANGUAGES] }),
  );

  app.put(
    '/api/settings/language',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Settings'],
        summary: 'Set the interface language',
        body: Type.Object({ language: LanguageSchema }),
        response: { 200: Type.Object({ language: LanguageSchema }) },
      },
    },
    async (request) => {
      await settings.setLanguage(request.body.language, actorOf(request));
      return { language: request.body.language };
    },
  );
}
