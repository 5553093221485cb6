import { z } from 'zod';
import type { PlatformOperator } from '../app-config';

/** Parsers of variable text, shared by the schema's areas. Each accepts exactly what its `expected` text says. */

/** Decimal digits only (no sign, no exponent, no spaces), within [min, max]. */
export const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/).transform(Number).pipe(z.number().min(min).max(max));

/** Any URL the WHATWG parser accepts whose scheme is one of `schemes`; kept as written. */
export const url = (...schemes: string[]) =>
  z.string().refine((raw) => {
    try {
      return schemes.includes(new URL(raw).protocol.replace(':', ''));
    } catch {
      return false;
    }
  });

export const oneOf = <const V extends readonly [string, ...string[]]>(values: V) => z.enum(values);

/** Exactly `true` or `false`. */
export const flag = z.enum(['true', 'false']).transform((raw) => raw === 'true');

export const text = z.string();

/** 32 bytes, base64-encoded. */
export const key32 = z
  .string()
  .transform((raw) => Buffer.from(raw, 'base64'))
  .refine((bytes) => bytes.length === 32);

/** name:sha256hex[,name:sha256hex...], names unique. */
export const operatorList = z
  .string()
  .transform((raw, ctx): PlatformOperator[] => {
    const entries = raw
      .split(',')
      .map((entry) => /^([A-Za-z0-9._@-]{1,64}):([0-9a-f]{64})$/.exec(entry.trim()));
    if (entries.some((match) => !match)) {
      ctx.addIssue({ code: 'custom', message: 'malformed entry' });
      return z.NEVER;
    }
    return entries.map((match) => ({ name: match![1], tokenSha256: Buffer.from(match![2], 'hex') }));
  })
  .refine((list) => new Set(list.map((o) => o.name)).size === list.length);
