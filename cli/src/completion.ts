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
  // The words to offer after each command path, and the subcommands of each path.
  const candidates = all.map((e) => `    "${e.path.join(' ')}") candidates="${[...e.subcommands, ...e.options, ...(e.path.length ? globals : [])].join(' ')}" ;;`).join('\n');
  const subcommands = all.map((e) => `    "${e.path.join(' ')}") echo "${e.subcommands.join(' ')}" ;;`).join('\n');
  const helpers = `_maestro_candidates() {
  case "$1" in
${candidates}
  esac
  echo "$candidates"
}
_maestro_subcommands() {
  case "$1" in
${subcommands}
  esac
}
`;
  if (shell === 'zsh') {
    // Native zsh (\`words\` and \`CURRENT\` are zsh's completion variables; \`path\` is taken by zsh).
    return `#compdef maestro
# maestro completion for zsh: maestro completion zsh > "\${fpath[1]}/_maestro", or source <(maestro completion zsh)
${helpers}_maestro() {
  local cmdpath="" w candidates
  for w in "\${(@)words[2,CURRENT-1]}"; do
    [[ "$w" == -* ]] && continue
    case " $(_maestro_subcommands "$cmdpath") " in *" $w "*) cmdpath="\${cmdpath:+$cmdpath }$w" ;; esac
  done
  candidates="$(_maestro_candidates "$cmdpath")"
  compadd -- \${=candidates}
}
if [ "$funcstack[1]" = "_maestro" ]; then _maestro "$@"; else compdef _maestro maestro; fi
`;
  }
  return `# maestro completion for bash: source <(maestro completion bash)
${helpers}_maestro() {
  local cur cmdpath="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case " $(_maestro_subcommands "$cmdpath") " in *" $w "*) cmdpath="\${cmdpath:+$cmdpath }$w" ;; esac
  done
  COMPREPLY=($(compgen -W "$(_maestro_candidates "$cmdpath")" -- "$cur"))
}
complete -o default -F _maestro maestro
`;
}
