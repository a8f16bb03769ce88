import { Ajv, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const common: Options = { allErrors: true, useDefaults: true, strict: false };

/**
 * JSON bodies are validated as sent: a number where a string belongs is a 422, not silently coerced.
 * Unknown keys are dropped, never applied. Query strings and path params are text, so they are coerced.
 */
const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false, removeAdditional: 'all' }));
const textAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array', removeAdditional: true }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  return ajv.compile(schema);
};
