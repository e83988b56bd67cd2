/**
 * Profiles: `<config dir>/maestro/config.json` (`$XDG_CONFIG_HOME`, else `~/.config`; `%APPDATA%` on
 * Windows), written with mode 0600 in a 0700 folder because it holds tokens. `MAESTRO_URL` and
 * `MAESTRO_TOKEN` override the selected profile; `MAESTRO_PROFILE` selects one like `--profile`.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, EXIT } from './io';

export interface Profile {
  url: string;
  token?: string;
  username?: string;
}

export interface ConfigFile {
  /** The profile used when neither `--profile` nor `MAESTRO_PROFILE` names one. */
  default?: string;
  profiles: Record<string, Profile>;
}

export const DEFAULT_PROFILE = 'default';

export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.MAESTRO_CONFIG) return env.MAESTRO_CONFIG;
  const base = env.XDG_CONFIG_HOME || (process.platform === 'win32' && env.APPDATA) || join(env.HOME || homedir(), '.config');
  return join(base, 'maestro', 'config.json');
}

export async function readConfig(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as ConfigFile;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.profiles !== 'object' || parsed.profiles === null) throw new Error('no "profiles" object');
    return parsed;
  } catch (error) {
    throw new CliError(`${path}: not a maestro configuration file (${(error as Error).message}); fix or delete it`, EXIT.usage);
  }
}

export async function writeConfig(path: string, config: ConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export function profileName(option: string | undefined, env: NodeJS.ProcessEnv, config: ConfigFile): string {
  return option || env.MAESTRO_PROFILE || config.default || DEFAULT_PROFILE;
}

/** The URL and token to use: the environment wins over the profile. */
export function resolveTarget(name: string, env: NodeJS.ProcessEnv, config: ConfigFile): { url: string; token?: string; profile: string } {
  const profile = config.profiles[name];
  const url = env.MAESTRO_URL || profile?.url;
  if (!url) {
    throw new CliError(
      config.profiles[name] === undefined && Object.keys(config.profiles).length > 0
        ? `no profile '${name}' (profiles: ${Object.keys(config.profiles).join(', ')}); run 'maestro login --profile ${name} --url <url>' or set MAESTRO_URL`
        : `no server configured; run 'maestro login --url <url>' or set MAESTRO_URL`,
      EXIT.usage,
    );
  }
  const token = env.MAESTRO_TOKEN || profile?.token;
  return { url, profile: name, ...(token ? { token } : {}) };
}
