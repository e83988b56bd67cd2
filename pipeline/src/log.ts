/**
 * JSON-lines logs on stdout (docs/pipeline.md): `ts, service, level, msg`, plus `action`, `node` and `sequence`
 * where relevant. Tests read these lines, so every line is one JSON object, and named actions
 * (`checkout.created`, `job.created`, …) are stable verbs rather than prose.
 *
 * Secrets (the `MAESTRO_TOKEN` value) are replaced wherever they appear in a line, whatever field
 * carried them, so an error message that echoes a header cannot leak the token.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogFields {
  action?: string;
  node?: string;
  sequence?: number | null;
  [key: string]: unknown;
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  service: string;
  instance?: string;
  /** Values that must never appear in output. */
  secrets?: readonly string[];
  write?: (line: string) => void;
  now?: () => Date;
}

function plain(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...('status' in value ? { status: (value as { status: unknown }).status } : {}) };
  }
  return value;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? (() => new Date());
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const emit = (level: LogLevel, msg: string, fields: LogFields = {}): void => {
    const record: Record<string, unknown> = { ts: now().toISOString(), service: options.service };
    if (options.instance && options.instance !== options.service) record.instance = options.instance;
    record.level = level;
    record.msg = msg;
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) record[k] = plain(v);
    let line = JSON.stringify(record);
    for (const secret of secrets) line = line.split(secret).join('[redacted]');
    write(`${line}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}
