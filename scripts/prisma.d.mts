/** Path of the WebAssembly schema-engine stand-in (prisma/engine/schema-engine.mjs). */
export declare const STAND_IN_ENGINE: string;

/** Path of the project's Prisma CLI entry point (node_modules/prisma/build/index.js). */
export declare function prismaCliPath(): string;

/** Path of the native schema-engine binary the Prisma CLI would use, or null when it is missing. */
export declare function findNativeSchemaEngine(): Promise<string | null>;

/**
 * Copy of `baseEnv` (default process.env) with PRISMA_SCHEMA_ENGINE_BINARY pointing at the stand-in
 * when the native engine is missing and no engine override is set.
 */
export declare function prismaEnv(baseEnv?: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv>;

export interface RunPrismaOptions {
  /** Variables merged over process.env for the CLI process. */
  env?: NodeJS.ProcessEnv;
  /** Do not forward the CLI's output to this process's stdout/stderr (it is captured either way). */
  quiet?: boolean;
  /** Working directory of the CLI (default: process.cwd()). */
  cwd?: string;
  /** Data written to the CLI's stdin (default: none; stdin is closed). */
  input?: string;
}

export interface RunPrismaResult {
  /** Exit code of the Prisma CLI. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the Prisma CLI with `args`; resolves with the exit code and captured output (never rejects on a non-zero exit). */
export declare function runPrisma(
  args: readonly string[],
  options?: RunPrismaOptions,
): Promise<RunPrismaResult>;
