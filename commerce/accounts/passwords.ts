import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the package declares it as a const enum, which isolated modules cannot import.
const ARGON2ID = 2;

import { config } from '../../core/config.ts';

/** argon2id with the installation's cost (ARGON2_MEMORY_KIB, ARGON2_TIME_COST); runs off the main thread. */
export function hashPassword(password: string): Promise<string> {
  const settings = config();
  return hash(password, {
    algorithm: ARGON2ID,
    memoryCost: settings.ARGON2_MEMORY_KIB,
    timeCost: settings.ARGON2_TIME_COST,
    parallelism: 1,
  });
}

/** True when the password matches; false for a malformed hash rather than an exception. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the time of a real verification when the email is unknown, so response times do not
 * tell which emails have accounts.
 */
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hashPassword('decoy password, never matches anything real');
  await verifyPassword(await decoy, password);
  return false;
}

/** A hash made with weaker settings than the current ones is upgraded at the next sign-in. */
export function needsRehash(passwordHash: string): boolean {
  const settings = config();
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash);
  if (!match) return true;
  return Number(match[1]) < settings.ARGON2_MEMORY_KIB || Number(match[2]) < settings.ARGON2_TIME_COST;
}
