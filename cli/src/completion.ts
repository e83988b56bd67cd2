/** Shell completion scripts generated from the command tree, so they never drift from the commands. */
import type { Command } from 'commander';

export type Shell = 'bash' | 'zsh' | 'fish';

interface Entry {
  path: string[];
  description: string;
  options: string[];
  subcommands: string[];
}

function entries(cmd: Command, path: string[] = []): Entry[] {
  const options = cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x)));
  const own: Entry = { path, description: cmd.description(), options: [...options, '--help'], subcommands: cmd.commands.map((c) => c.name()) };
  return [own, ...cmd.commands.flatMap((c) => entries(c, [...path, c.name()]))];
}

export function completionScript(program: Command, shell: Shell): string {
  const all = entries(program);
  const globals = all[0]!.options;
  if (shell === 'fish') {
    const lines = ['# maestro completion for fish: maestro completion fish > ~/.config/fish/completions/maestro.fish', 'complete -c maestro -f'];
    for (const e of all.slice(1)) {
      const parent = e.path.slice(0, -1);
      const cond = parent.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${parent.join(' ')}`;
      lines.push(`complete -c maestro -n '${cond}' -a ${e.path[e.path.length - 1]} -d '${e.description.replace(/'/g, "\\'")}'`);
      for (const o of e.options.filter((x) => x.startsWith('--'))) lines.push(`complete -c maestro -n '__fish_seen_subcommand_from ${e.path[e.path.length - 1]}' -l ${o.slice(2)}`);
    }
    for (const o of globals.filter((x) => x.startsWith('--'))) lines.push(`complete -c maestro -l ${o.slice(2)}`);
    return `${lines.join('\n')}\n`;
  }
  // bash and zsh (through bashcompinit): complete from the words typed so far.
  const cases = all.map((e) => `    "${e.path.join(' ')}") words="${[...e.subcommands, ...e.options, ...(e.path.length ? globals : [])].join(' ')}" ;;`).join('\n');
  const body = `_maestro() {
  local cur path="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case " $(_maestro_subcommands "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  local words
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
_maestro_subcommands() {
  case "$1" in
${all.map((e) => `    "${e.path.join(' ')}") echo "${e.subcommands.join(' ')}" ;;`).join('\n')}
  esac
}
complete -o default -F _maestro maestro
`;
  if (shell === 'zsh') return `#compdef maestro\n# maestro completion for zsh\nautoload -U +X bashcompinit && bashcompinit\n${body}`;
  return `# maestro completion for bash: source <(maestro completion bash)\n${body}`;
}
