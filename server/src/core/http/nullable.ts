import { type TSchema, Type } from 'typebox';

/** `T | null` in a schema: the API's way of saying "not known" or "not set". */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
