import { registry } from '@tinykube/api';
import { usageError } from '../errors.js';
import type { Io } from '../io.js';

// `tkctl completion bash|zsh`: a completion script. Verbs and resource types are completed from
// lists baked in at generation time; object names by asking the cluster (`tkctl get TYPE -o name`).

const VERBS = [
  'get', 'describe', 'apply', 'create', 'delete', 'scale', 'label', 'annotate', 'cordon', 'uncordon',
  'taint', 'drain', 'rollout', 'logs', 'exec', 'port-forward', 'version', 'cluster-info', 'api-resources', 'completion',
];

export function bashScript(): string {
  const types = [...new Set(registry.all().flatMap((r) => [r.plural, ...r.shortNames]))].sort().join(' ');
  return `# tkctl bash completion. Load with: source <(tkctl completion bash)
_tkctl_names() {
  local type="$1"
  tkctl get "$type" -o name 2>/dev/null | sed 's|^[^/]*/||'
}
_tkctl() {
  local cur prev verb
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  verb="\${COMP_WORDS[1]}"
  case "$prev" in
    -n|--namespace) COMPREPLY=( $(compgen -W "$(_tkctl_names namespaces)" -- "$cur") ); return ;;
    -o|--output) COMPREPLY=( $(compgen -W "json yaml name wide jsonpath=" -- "$cur") ); return ;;
    -f|--filename|--kubeconfig) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
  esac
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${VERBS.join(' ')}" -- "$cur") ); return
  fi
  case "$verb" in
    rollout) if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=( $(compgen -W "status history undo restart" -- "$cur") ); return; fi ;;
    completion) COMPREPLY=( $(compgen -W "bash zsh" -- "$cur") ); return ;;
    cordon|uncordon|drain) COMPREPLY=( $(compgen -W "$(_tkctl_names nodes)" -- "$cur") ); return ;;
    logs|exec|port-forward) COMPREPLY=( $(compgen -W "$(_tkctl_names pods)" -- "$cur") ); return ;;
  esac
  local first="\${COMP_WORDS[2]}"
  [ "$verb" = rollout ] && first="\${COMP_WORDS[3]}"
  if [ "$prev" = "$verb" ] || { [ "$verb" = rollout ] && [ "$COMP_CWORD" -eq 3 ]; }; then
    COMPREPLY=( $(compgen -W "${types} all" -- "$cur") )
  else
    COMPREPLY=( $(compgen -W "$(_tkctl_names "$first")" -- "$cur") )
  fi
}
complete -o default -F _tkctl tkctl
`;
}

export function zshScript(): string {
  return `#compdef tkctl
# tkctl zsh completion (the bash script through zsh's bashcompinit).
# Load with: source <(tkctl completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript()}`;
}

export function completionCommand(io: Io, shell: string | undefined): void {
  if (shell === 'bash') io.stdout.write(bashScript());
  else if (shell === 'zsh') io.stdout.write(zshScript());
  else throw usageError(`Unsupported shell type "${shell ?? ''}". Supported: bash, zsh`);
}
