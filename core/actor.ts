/**
 * Who performs a domain operation, as services see it: an id and a permission check. The API
 * passes its Principal; the CLI and workers pass `systemActor` (the installation's owner).
 */
export interface Actor {
  readonly userId: string | null;
  can(permission: string): boolean;
}

/** The installation itself (CLI on the server, `npm start`, scheduled jobs): may do everything. */
export const systemActor: Actor = { userId: null, can: () => true };
