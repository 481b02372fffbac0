import type { LookupAddress } from 'node:dns';
import type { Resolver } from './network-guard.ts';

/**
 * For tests: a name server under an attacker's control, as network-guard's `setResolver`
 * takes it. `rebinding` answers with a public address the first time (what a check before the
 * connection would see) and 127.0.0.1 every time after (what the connection would reach);
 * names in `fixed` always get their address; anything else is not found.
 */
export function rebindingResolver(
  rebinding: string,
  fixed: Record<string, string> = {},
): { resolve: Resolver; calls(): number } {
  let calls = 0;
  return {
    calls: () => calls,
    resolve: async (hostname): Promise<LookupAddress[]> => {
      const host = hostname.toLowerCase();
      if (host === rebinding) {
        calls++;
        // 93.184.215.14 is only ever reported, never connected to: the guard refuses the second answer.
        return [{ address: calls === 1 ? '93.184.215.14' : '127.0.0.1', family: 4 }];
      }
      const address = fixed[host];
      if (address) return [{ address, family: address.includes(':') ? 6 : 4 }];
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    },
  };
}

/** For tests: a name server that answers each name in `names` with its address, and nothing else. */
export function fixedResolver(names: Record<string, string>): Resolver {
  return rebindingResolver('', names).resolve;
}
