#!/usr/bin/env -S node --max-semi-space-size=64
// The installed `trawl` command (npx trawl …). It loads the TypeScript CLI through tsx, resolved
// from this package rather than the caller's directory. The V8 flag is core/v8-flags.ts's.
import { register } from 'tsx/esm/api';

register();
await import('./trawl.ts');
