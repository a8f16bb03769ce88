import { type Static, Type } from 'typebox';

export const RoleSchema = Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]);

/** Letters, digits and . _ @ + - (so e-mail-style names from SSO fit), up to 64 characters. */
export const UsernameSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._@+-]*$' });
export const EmailSchema = Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Literal(''), Type.Null()]);
/** The policy (upper, lower, digit, length) is checked by the service so its answer can say which rule failed. */
export const PasswordSchema = Type.String({ minLength: 1, maxLength: 1024 });

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  is_active: Type.Boolean(),
  last_login: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});
export type UserDto = Static<typeof UserSchema>;

export const CreateUserBody = Type.Object({
  username: UsernameSchema,
  email: Type.Optional(EmailSchema),
  password: PasswordSchema,
  role: Type.Optional(RoleSchema),
});
export type CreateUserInput = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object({
  username: Type.Optional(UsernameSchema),
  email: Type.Optional(EmailSchema),
  role: Type.Optional(RoleSchema),
  is_active: Type.Optional(Type.Boolean()),
  password: Type.Optional(PasswordSchema),
});
export type UpdateUserInput = Static<typeof UpdateUserBody>;

export const UserIdParams = Type.Object({ user_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
