/**
 * Reads the compose files of deploy/compose/ as Compose does (YAML 1.1 merge keys `<<:` resolved),
 * for the schema test and for the replica harness, which starts API processes exactly as the
 * compose file starts its replicas (test/src/support/replicas.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

export const COMPOSE_DIR = resolve(__dirname, '../../../deploy/compose');
export const COMPOSE_FILES = ['compose.yaml', 'compose.mongo.yaml'] as const;

export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

export function readCompose(file: string): ComposeFile {
  return parse(readFileSync(resolve(COMPOSE_DIR, file), 'utf8'), { merge: true }) as ComposeFile;
}

/**
 * Compose's interpolation of `${NAME}`, `${NAME:-default}` and `${NAME:?error}` against `vars`;
 * `$$` is a literal `$`. A required variable that is missing throws, as `docker compose` refuses.
 */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (match === '$$') return '$';
    const set = vars[name!];
    const empty = set === undefined || (op?.startsWith(':') && set === '');
    if (op?.endsWith('-')) return empty ? (arg ?? '') : set!;
    if (op?.endsWith('?')) {
      if (empty) throw new Error(`${name}: ${arg}`);
      return set!;
    }
    return set ?? '';
  });
}
