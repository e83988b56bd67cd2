/**
 * The `maestro` command line, built on commander and the SDK's public API only. `run(argv, io)` runs
 * one command and resolves with its exit code, so tests drive it in process as well as through the
 * built binary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createClient,
  isFilterError,
  isMaestroError,
  type MaestroClient,
  type Node,
  type NodeTree,
} from '@maestro-ci/sdk';
import { Command, CommanderError, Option } from 'commander';
import { completionScript, type Shell } from './completion';
import { compareTrees } from './compare';
import { configPath, profileName, readConfig, resolveTarget, writeConfig } from './config';
import { CliError, EXIT, type Io } from './io';
import { readLine, readSecret } from './prompt';
import { parseCondition, toEventFilter, toNodeFilter } from './query';
import { countTree, fromNodeTree, NODE_HEADERS, nodeRows, paint, paintResult, renderTree, table, type Style } from './render';
import { submitFile } from './submit';
import { formatCounts } from './parsers/types';

export const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

interface GlobalOptions {
  profile?: string;
  color?: boolean;
}

/** Exit code for an error thrown by a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.code;
  if (isMaestroError(error)) {
    // A filter the SDK refused before sending is a usage mistake, not a server problem.
    if (isFilterError(error)) return EXIT.usage;
    return EXIT.server;
  }
  return EXIT.server;
}

function messageOf(error: unknown): string {
  if (isMaestroError(error)) {
    const status = (error as { status?: number }).status;
    if (status === 401) return `${error.message}\n  (log in with 'maestro login', or set MAESTRO_TOKEN)`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

const examples = (lines: string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`'${value}' is not a positive integer`, EXIT.usage);
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function buildProgram(io: Io, state: { exitCode: number }): Command {
  const style = (): Style => {
    const opts = program.opts<GlobalOptions>();
    const color = opts.color !== false && !io.env.NO_COLOR && (Boolean(io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') || Boolean(io.stdout.isTTY));
    return { color };
  };
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  const err = (text: string): void => void io.stderr.write(`${text}\n`);
  const print = (value: unknown): void => out(JSON.stringify(value, null, 2));

  async function target(): Promise<{ url: string; token?: string; profile: string }> {
    const path = configPath(io.env);
    const config = await readConfig(path);
    return resolveTarget(profileName(program.opts<GlobalOptions>().profile, io.env, config), io.env, config);
  }

  async function withClient<T>(fn: (client: MaestroClient) => Promise<T>): Promise<T> {
    const { url, token } = await target();
    const client = createClient({ baseUrl: url, ...(token ? { token } : {}), userAgent: `maestro-cli/${VERSION}` });
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }

  const program = new Command('maestro')
    .description('Maestro from the terminal: submit KTAP, JUnit and TAP results, query nodes, show trees, compare checkouts, watch events.')
    .version(VERSION, '-V, --version')
    .option('-p, --profile <name>', 'profile to use (default: MAESTRO_PROFILE, else the default profile)')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `${examples([
        'maestro login --url https://maestro.example.org --username lab-bot',
        'maestro submit 65a3982ee98651d0fe82b010 results.ktap',
        'maestro nodes find kind=test result=fail data.platform=qemu --limit 20',
        'maestro tree 65a3982ee98651d0fe82b010 --failed-only',
      ])}
Environment: MAESTRO_URL and MAESTRO_TOKEN override the profile; MAESTRO_PROFILE selects one.
Exit codes: 0 ok, 1 failures found where asked, 2 usage or malformed input, 3 server or network error.`,
    );

  program
    .command('login')
    .description('log in and store the token in a profile (config file mode 0600)')
    .option('--url <url>', 'server URL (default: the profile\'s, else MAESTRO_URL)')
    .option('-u, --username <name>', 'user name (prompted when missing)')
    .option('--token <token>', 'store this token (an API token mst_… or a JWT) instead of logging in with a password')
    .option('--password-stdin', 'read the password from standard input (for scripts)')
    .option('--default', 'make this profile the default one')
    .addHelpText('after', examples(['maestro login --url https://maestro.example.org --username alice', 'maestro login --profile staging --url https://staging.example.org --token "$TOKEN"', 'printf %s "$PASSWORD" | maestro login --url http://127.0.0.1:8001 --username admin --password-stdin']))
    .action(async (opts: { url?: string; username?: string; token?: string; passwordStdin?: boolean; default?: boolean }) => {
      const path = configPath(io.env);
      const config = await readConfig(path);
      const name = profileName(program.opts<GlobalOptions>().profile, io.env, config);
      const existing = config.profiles[name];
      const url = (opts.url ?? existing?.url ?? io.env.MAESTRO_URL)?.replace(/\/+$/, '');
      if (!url) throw new CliError("login needs --url <server> (or MAESTRO_URL)", EXIT.usage);
      if (!/^https?:\/\//.test(url)) throw new CliError(`--url must be an http(s) URL, got '${url}'`, EXIT.usage);
      let token = opts.token;
      const client = createClient({ baseUrl: url, userAgent: `maestro-cli/${VERSION}` });
      try {
        let username = opts.username;
        if (!token) {
          if (!username) {
            if (!io.stdin.isTTY) throw new CliError('login needs --username (or --token) when standard input is not a terminal', EXIT.usage);
            username = (await readLine(io, 'Username: ')).trim();
          }
          const password = opts.passwordStdin || !io.stdin.isTTY ? (await readLine(io)).replace(/\r?\n$/, '') : await readSecret(io, `Password for ${username}: `);
          if (!password) throw new CliError('empty password', EXIT.usage);
          token = (await client.tokens.login({ username, password })).access_token;
        }
        const me = await client.withToken(token).users.whoami();
        config.profiles[name] = { url, token, username: me.username };
        if (opts.default || !config.default) config.default = name;
        await writeConfig(path, config);
        err(`Logged in to ${url} as ${me.username} (profile '${name}', saved in ${path})`);
      } finally {
        await client.close();
      }
    });

  program
    .command('logout')
    .description('forget the token of a profile')
    .action(async () => {
      const path = configPath(io.env);
      const config = await readConfig(path);
      const name = profileName(program.opts<GlobalOptions>().profile, io.env, config);
      const profile = config.profiles[name];
      if (!profile?.token) throw new CliError(`profile '${name}' holds no token`, EXIT.usage);
      delete profile.token;
      await writeConfig(path, config);
      err(`Forgot the token of profile '${name}'`);
    });

  program
    .command('whoami')
    .description('show the user the token belongs to')
    .option('--json', 'print the user as JSON')
    .addHelpText('after', examples(['maestro whoami', 'maestro --profile staging whoami --json']))
    .action(async (opts: { json?: boolean }) => {
      const t = await target();
      await withClient(async (client) => {
        const me = await client.users.whoami();
        if (opts.json) return print(me);
        out(`${me.username} <${me.email}>${me.is_superuser ? ' (admin)' : ''}`);
        out(`server:  ${t.url} (profile '${t.profile}')`);
        if (me.groups.length) out(`groups:  ${me.groups.map((g) => g.name).join(', ')}`);
      });
    });

  const tokens = program.command('tokens').description('API tokens: create, list, revoke (Maestro servers)');
  tokens
    .command('create <name>')
    .description('create an API token; it is printed once, keep it')
    .option('--expires <date>', 'expiry: an ISO date or a number of days')
    .option('--json', 'print the token record as JSON')
    .addHelpText('after', examples(['maestro tokens create lab-ci --expires 90', 'export MAESTRO_TOKEN=$(maestro tokens create lab-ci --json | jq -r .token)']))
    .action(async (name: string, opts: { expires?: string; json?: boolean }) => {
      let expiresAt: Date | undefined;
      if (opts.expires) {
        expiresAt = /^\d+$/.test(opts.expires) ? new Date(Date.now() + Number(opts.expires) * 86_400_000) : new Date(opts.expires);
        if (Number.isNaN(expiresAt.getTime())) throw new CliError(`--expires: '${opts.expires}' is neither a date nor a number of days`, EXIT.usage);
      }
      await withClient(async (client) => {
        const token = await client.tokens.create({ name, ...(expiresAt ? { expiresAt } : {}) });
        if (opts.json) return print(token);
        out(token.token);
        err(`Created token '${token.name}' (id ${token.id}${token.expires_at ? `, expires ${token.expires_at}` : ''}); it is not shown again.`);
      });
    });
  tokens
    .command('list')
    .description('list your API tokens')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withClient(async (client) => {
        const list = await client.tokens.list();
        if (opts.json) return print(list);
        out(table(['ID', 'NAME', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED'], list.map((t) => [t.id, t.name, t.prefix, t.created.slice(0, 19), t.expires_at?.slice(0, 19) ?? '-', t.last_used?.slice(0, 19) ?? '-', t.revoked ? 'yes' : 'no']), style()));
      });
    });
  tokens
    .command('revoke <id>')
    .description('revoke an API token by id')
    .action(async (id: string) => {
      await withClient(async (client) => {
        await client.tokens.revoke(id);
        err(`Revoked token ${id}`);
      });
    });

  const queryHelp = `
Query: field=value (any dotted path, e.g. data.platform=qemu), field__op=value with op one of
ne, lt, lte, gt, gte, in, nin, re, int, or the shorthands field!=v, field>v, field>=v, field<v,
field<=v, field~regex. null, true and false are literals; in/nin take comma lists.`;
  const nodes = program.command('nodes').description('query nodes');
  nodes
    .command('find [conditions...]')
    .description('find nodes matching every condition')
    .option('-n, --limit <n>', 'at most this many nodes', positiveInt, 50)
    .addOption(new Option('--sort <key>', 'order (Maestro servers)').choices(['id', '-id', 'created', '-created', 'updated', '-updated']))
    .option('--json', 'print a JSON array')
    .option('--jsonl', 'print one JSON node per line')
    .addHelpText('after', `${queryHelp}\n${examples(['maestro nodes find kind=test state=done data.platform=qemu --limit 50', "maestro nodes find kind=kbuild 'created>=2026-11-01' result=fail --jsonl", 'maestro nodes find kind=test name~^kunit parent=65a3982ee98651d0fe82b010'])}`)
    .action(async (conditions: string[], opts: { limit: number; sort?: string; json?: boolean; jsonl?: boolean }) => {
      const filter = toNodeFilter(conditions.map(parseCondition));
      await withClient(async (client) => {
        const list: Node[] = [];
        let more = false;
        // One more than the limit, to tell whether the list was cut.
        for await (const n of client.nodes.find(filter, { pageSize: Math.min(opts.limit + 1, 500), ...(opts.sort ? { sort: opts.sort as never } : {}) })) {
          if (list.length === opts.limit) {
            more = true;
            break;
          }
          list.push(n);
        }
        if (opts.jsonl) for (const n of list) out(JSON.stringify(n));
        else if (opts.json) print(list);
        else if (list.length === 0) err('no nodes match');
        else out(table(NODE_HEADERS, nodeRows(list), style(), (col, text) => (col === 3 ? paintResult(style(), text.trim()) + text.slice(text.trimEnd().length) : text)));
        if (more) err(`showing the first ${opts.limit} matches; more exist (raise --limit)`);
      });
    });
  nodes
    .command('count [conditions...]')
    .description('count nodes matching every condition')
    .addHelpText('after', examples(['maestro nodes count kind=test result=fail']))
    .action(async (conditions: string[]) => {
      const filter = toNodeFilter(conditions.map(parseCondition));
      await withClient(async (client) => out(String(await client.nodes.count(filter))));
    });

  program
    .command('node <id>')
    .description('show one node')
    .option('--json', 'print the node as JSON')
    .addHelpText('after', examples(['maestro node 65a3982ee98651d0fe82b010', 'maestro node 65a3982ee98651d0fe82b010 --json | jq .data']))
    .action(async (id: string, opts: { json?: boolean }) => {
      await withClient(async (client) => {
        const n = await client.nodes.get(id);
        if (opts.json) return print(n);
        const s = style();
        const rows: [string, string][] = [
          ['id', n.id],
          ['kind', n.kind],
          ['name', n.name],
          ['path', (n.path ?? []).join('/')],
          ['state', n.state],
          ['result', paintResult(s, n.result)],
          ['parent', n.parent ?? '-'],
          ['owner', n.owner ?? '-'],
          ['created', n.created ?? '-'],
          ['updated', n.updated ?? '-'],
        ];
        const data = (n.data ?? {}) as Record<string, unknown>;
        for (const key of ['platform', 'runtime', 'arch', 'error_msg']) if (data[key] !== undefined && data[key] !== null) rows.push([`data.${key}`, String(data[key])]);
        for (const [k, v] of Object.entries(n.artifacts ?? {})) rows.push([`artifact ${k}`, v]);
        for (const [k, v] of rows) out(`${paint(s, 'bold', k.padEnd(16))}${v}`);
      });
    });

  program
    .command('tree <id>')
    .description("show a node's descendants as a tree, with results and counts per subtree")
    .option('-d, --depth <n>', 'show at most this many levels', positiveInt)
    .option('-f, --failed-only', 'only branches that contain a failure (exit code 1 when there is one)')
    .option('--json', 'print the tree as JSON ({ node, children })')
    .addHelpText('after', examples(['maestro tree 65a3982ee98651d0fe82b010', 'maestro tree 65a3982ee98651d0fe82b010 --failed-only --depth 3']))
    .action(async (id: string, opts: { depth?: number; failedOnly?: boolean; json?: boolean }) => {
      await withClient(async (client) => {
        const tree: NodeTree = await client.nodes.tree(id);
        const root = fromNodeTree(tree);
        const counts = countTree(root);
        if (opts.json) print(tree);
        else {
          const s = style();
          out(`${tree.node.name} ${paint(s, 'dim', `[${tree.node.kind} ${tree.node.id}]`)} ${paintResult(s, tree.node.result)}  ${paint(s, 'dim', `(${formatCounts(counts)})`)}`);
          for (const line of renderTree(root.children, s, { depth: opts.depth, failedOnly: opts.failedOnly })) out(line);
        }
        if (opts.failedOnly && counts.fail > 0) state.exitCode = EXIT.failures;
      });
    });

  program
    .command('submit <job-node-id> <file>')
    .description('parse a KTAP, JUnit XML or TAP file and store it as the result tree of a job node')
    .addOption(new Option('--format <format>', 'force the format instead of detecting it').choices(['ktap', 'junit', 'tap']))
    .option('--dry-run', 'parse and print the tree; send nothing')
    .option('-a, --artifact <name=url>', 'an artifact of the job node (repeatable)', collect, [])
    .option('--fail-on-failures', 'exit with 1 when the results contain a failure')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option('--json', 'print a JSON summary')
    .addHelpText(
      'after',
      `
The idempotency key is derived from the job id and the file's SHA-256: a retried or repeated
upload of the same file never stores the results twice.
${examples(['maestro submit 65a3982ee98651d0fe82b010 kselftest.ktap --artifact log=https://lab.example.org/job/42/log.txt', 'maestro submit 65a3982ee98651d0fe82b010 target/surefire-reports/TEST-org.example.FooTest.xml', 'maestro submit 65a3982ee98651d0fe82b010 results.tap --dry-run'])}`,
    )
    .action(async (jobId: string, file: string, opts: { format?: 'ktap' | 'junit' | 'tap'; dryRun?: boolean; artifact: string[]; failOnFailures?: boolean; progress: boolean; json?: boolean }) => {
      const outcome = await submitFile({ io, style: style(), jobId, file, ...opts, connect: opts.dryRun ? undefined : withClient });
      if (opts.failOnFailures && outcome.counts.fail > 0) state.exitCode = EXIT.failures;
    });

  program
    .command('compare <checkout-a> <checkout-b>')
    .description('new failures, fixes and still-failing tests from checkout A to checkout B (exit code 1 on new failures)')
    .option('--json', 'print JSON')
    .addHelpText('after', examples(['maestro compare 65a3982ee98651d0fe82b010 65a3982ee98651d0fe82b0f3', 'maestro compare "$BASE" "$HEAD" --json | jq ".new_failures[].path"']))
    .action(async (a: string, b: string, opts: { json?: boolean }) => {
      await withClient(async (client) => {
        const [ta, tb] = await Promise.all([client.nodes.tree(a), client.nodes.tree(b)]);
        const c = compareTrees(ta, tb);
        if (opts.json) {
          const brief = (x: { path: string; node: Node }) => ({ path: x.path, id: x.node.id, result: x.node.result });
          print({ a: ta.node.id, b: tb.node.id, new_failures: c.newFailures.map((x) => ({ ...brief(x), before: x.before })), fixed: c.fixed.map(brief), still_failing: c.stillFailing.map(brief), tests: c.counts });
        } else {
          const s = style();
          const section = (title: string, colour: 'red' | 'green' | 'yellow', items: { path: string; node: Node }[], note?: (x: never) => string): void => {
            out(paint(s, 'bold', `${title} (${items.length})`));
            if (items.length === 0) out('  none');
            for (const x of items) out(`  ${paint(s, colour, x.path)}  ${paint(s, 'dim', x.node.id)}${note ? note(x as never) : ''}`);
          };
          out(`A: ${ta.node.name} ${ta.node.id} (${c.counts.a} tests)   B: ${tb.node.name} ${tb.node.id} (${c.counts.b} tests)`);
          section('New failures', 'red', c.newFailures, (x: { before: string | null }) => paint(s, 'dim', x.before ? `  (was ${x.before})` : '  (new test)'));
          section('Fixed', 'green', c.fixed);
          section('Still failing', 'yellow', c.stillFailing);
        }
        if (c.newFailures.length > 0) state.exitCode = EXIT.failures;
      });
    });

  program
    .command('watch [conditions...]')
    .description('print node events live (socket.io; long-poll on KernelCI servers); reconnects and resumes by itself')
    .option('--json', 'one JSON event per line')
    .option('--all', "events about every user's nodes (default: ownerless ones and your own)")
    .option('--count <n>', 'exit after this many events', positiveInt)
    .option('--subscriber-id <id>', 'durable subscriber id: resume where the last run stopped')
    .option('--channel <name>', 'channel', 'node')
    .addHelpText(
      'after',
      `
Conditions: kind, state, result, op, name, group, owner, node_id, path with '=' (a comma list
means any of).
${examples(['maestro watch kind=job state=done', 'maestro watch kind=test result=fail --all --json', 'maestro watch kind=checkout --subscriber-id my-dashboard:node'])}`,
    )
    .action(async (conditions: string[], opts: { json?: boolean; all?: boolean; count?: number; subscriberId?: string; channel: string }) => {
      const filter = toEventFilter(conditions.map(parseCondition));
      await withClient(async (client) => {
        const sub = client.events.subscribe({ channel: opts.channel, filter, ...(opts.all ? { promiscuous: true } : {}), ...(opts.subscriberId ? { subscriberId: opts.subscriberId } : {}) });
        const stop = (): void => void sub.close({ drain: false });
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        sub.on('state', (st) => {
          if (st.type === 'subscribed') err(`watching ${opts.channel} events${conditions.length ? ` where ${conditions.join(' ')}` : ''} (Ctrl-C to stop)`);
          else if (st.type === 'reconnecting') err(`connection lost; reconnecting (attempt ${st.attempt})…`);
          else if (st.type === 'resumed') err(`reconnected; ${st.replayed} missed event(s) replayed`);
          else if (st.type === 'gap') err(`warning: events ${st.from}–${st.to} were lost`);
        });
        const s = style();
        let seen = 0;
        try {
          for await (const d of sub) {
            const p = d.payload;
            if (opts.json) out(JSON.stringify({ sequence: d.sequence, time: d.event.time, type: d.event.type, replayed: d.replayed, data: p }));
            else out(`${(d.event.time ?? new Date().toISOString()).slice(0, 19)}  ${(p.op ?? '').padEnd(7)} ${(p.kind ?? '').padEnd(8)} ${(p.state ?? '').padEnd(9)} ${paintResult(s, p.result ?? null)}${' '.repeat(Math.max(1, 11 - (p.result ?? '-').length))}${p.id ?? ''}  ${(p.path ?? [p.name]).join('/')}`);
            // Printed is handled: acknowledge now, so a durable cursor moves past it even when we stop here.
            d.ack();
            seen += 1;
            if (opts.count && seen >= opts.count) break;
          }
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await sub.close({ drain: false });
        }
        const st = sub.state;
        if (st.type === 'closed' && st.error && !(opts.count && seen >= opts.count)) throw st.error;
      });
    });

  program
    .command('completion <shell>')
    .description('print a shell completion script (bash, zsh or fish)')
    .addHelpText('after', examples(['maestro completion bash > ~/.local/share/bash-completion/completions/maestro', 'maestro completion zsh > "${fpath[1]}/_maestro"', 'maestro completion fish > ~/.config/fish/completions/maestro.fish']))
    .action((shell: string) => {
      if (!['bash', 'zsh', 'fish'].includes(shell)) throw new CliError(`unknown shell '${shell}' (bash, zsh or fish)`, EXIT.usage);
      io.stdout.write(completionScript(program, shell as Shell));
    });

  return program;
}

/** Runs one command line (without `node` and the script name) and resolves with the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const state = { exitCode: EXIT.ok as number };
  const program = buildProgram(io, state);
  const configure = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    io.stderr.write(`maestro: ${messageOf(error)}\n`);
    return exitCodeOf(error);
  }
}
