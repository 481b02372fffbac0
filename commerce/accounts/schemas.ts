import { z } from 'zod';
import { permissionSchema } from './permissions.ts';

/** Trimmed, NFKC-normalised (full-width letters fold) and lower-cased: one account per address. */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

export const emailSchema = z
  .string()
  .max(254)
  .transform(normaliseEmail)
  .pipe(z.email('must be an email address'));

/**
 * Length is what makes a password strong (NIST SP 800-63B): at least 10 characters, at most 256
 * (argon2 hashes any length, but an unbounded one is a cheap way to burn CPU).
 */
export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters');

const name = z.string().trim().min(1).max(100);
const phone = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?[0-9 ()./-]{3,32}$/, 'digits, spaces and + ( ) . / - only');

export const registerSchema = z
  .object({ email: emailSchema, password: passwordSchema, name: name.optional() })
  .strict()
  .refine((v) => normaliseEmail(v.password) !== v.email, {
    message: 'must not be the email address',
    path: ['password'],
  });

export const loginSchema = z.object({ email: emailSchema, password: z.string().min(1).max(256) }).strict();

export const profileSchema = z
  .object({ name: name.nullable().optional(), phone: phone.nullable().optional() })
  .strict();

export const passwordChangeSchema = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema })
  .strict();

export const staffCreateSchema = z
  .object({
    email: emailSchema,
    role: z.string().min(1).max(50),
    name: name.optional(),
    /** Omitted: a random one is generated and returned once. */
    password: passwordSchema.optional(),
  })
  .strict();

export const userUpdateSchema = z
  .object({
    role: z.string().min(1).max(50).optional(),
    status: z.enum(['active', 'disabled']).optional(),
    name: name.nullable().optional(),
  })
  .strict();

export const MAX_TOKEN_DAYS = 365;
export const tokenCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Permissions the token may use; omitted: all of the owner's. */
    scopes: z.array(permissionSchema).max(50).optional(),
    expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(90),
  })
  .strict();

export const MAX_ADDRESSES = 20;
export const addressSchema = z
  .object({
    recipient: name,
    phone,
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).nullable().optional(),
    city: z.string().trim().min(1).max(100),
    region: z.string().trim().max(100).nullable().optional(),
    postalCode: z.string().trim().max(20).nullable().optional(),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code such as CN or DE'),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    isDefault: z.boolean().optional(),
  })
  .strict();

export const roleNameSchema = z
  .string()
  .min(2)
  .max(50)
  .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes, starting with a letter');

export const roleCreateSchema = z
  .object({
    name: roleNameSchema,
    description: z.string().trim().min(1).max(300),
    permissions: z.array(permissionSchema).max(100).default([]),
  })
  .strict();

export const rolePermissionsSchema = z.object({ permissions: z.array(permissionSchema).max(100) }).strict();

export type RegisterInput = z.infer<typeof registerSchema>;
export type AddressInput = z.infer<typeof addressSchema>;
