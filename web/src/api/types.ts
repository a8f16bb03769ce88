import type { components, paths } from './schema';

/** Shorthands for the generated OpenAPI types the pages use most. */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer OK }
    ? JsonOf<OK>
    : R extends { 201: infer Created }
      ? JsonOf<Created>
      : never
  : never;
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type Schemas = components extends { schemas: infer S } ? S : Record<string, never>;

export type Printer = ResponseOf<'/api/printers', 'get'>[number];
export type LiveState = Printer['live'];
export type Me = ResponseOf<'/api/auth/me', 'get'>;
export type Role = 'admin' | 'operator' | 'viewer';
