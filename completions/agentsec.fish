# fish completion for agentsec — generated from the command tree by `npm run docs`; do not edit
function __agentsec_path
    set -l path ""
    for w in (commandline -opc)[2..-1]
        switch "$path/$w"
            case '/init' '/doctor' '/audit' '/audit/verify' '/audit/append' '/audit/seal' '/audit/log' '/audit/export' '/audit/status' '/completion' '/help'
                set path "$path/$w"
        end
    end
    echo "$path"
end
complete -c agentsec -f
complete -c agentsec -s V -l version -d 'print the version and exit'
complete -c agentsec -l home -r -F -d 'agentsec home (default: $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec)'
complete -c agentsec -l json -d 'print one JSON document (JSON Lines for streams)'
complete -c agentsec -s q -l quiet -d 'print only data, no progress or status messages'
complete -c agentsec -l no-color -d 'disable color (also NO_COLOR=1; FORCE_COLOR=1 forces it)'
complete -c agentsec -s y -l yes -d 'answer yes to confirmations (for scripts)'
complete -c agentsec -n 'test (__agentsec_path) = ""' -a 'init' -d 'create the agentsec home (0700), master key and store; safe to run again'
complete -c agentsec -n 'test (__agentsec_path) = ""' -a 'doctor' -d 'check the home, store, master key and file permissions; exit 1 when something is wrong'
complete -c agentsec -n 'test (__agentsec_path) = ""' -a 'audit' -d 'the tamper-evident audit chain: append, seal, verify, log, export, status'
complete -c agentsec -n 'test (__agentsec_path) = ""' -a 'completion' -d 'print the shell completion script for bash, zsh or fish'
complete -c agentsec -n 'test (__agentsec_path) = ""' -a 'help' -d 'show help for a command, or a topic: exit-codes'
complete -c agentsec -n 'test (__agentsec_path) = "/audit"' -a 'verify' -d 'verify the audit chain: find and locate any modification, deletion, insertion, reordering or truncation'
complete -c agentsec -n 'test (__agentsec_path) = "/audit"' -a 'append' -d 'append an entry (or JSON Lines from stdin) to the audit chain'
complete -c agentsec -n 'test (__agentsec_path) = "/audit"' -a 'seal' -d 'write a signed checkpoint now if entries are unsealed or the epoch has run its length (run from cron)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit"' -a 'log' -d 'show audit entries, oldest first; -f follows new ones (JSON Lines)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit"' -a 'export' -d 'export entries (exact canonical text) and checkpoint notes as JSON Lines, verifiable with verify --jsonl'
complete -c agentsec -n 'test (__agentsec_path) = "/audit"' -a 'status' -d 'show the chain size, epochs, last seal and public key fingerprint'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/verify"' -l pubkey -x -d 'the epoch-0 public key printed by agentsec init (ed25519:…)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/verify"' -l pubkey-file -r -F -d 'read the public key from a file'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/verify"' -l jsonl -r -F -d 'verify an export (agentsec audit export) instead of the store'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/verify"' -l state -r -F -d 'remember the newest verified checkpoint here and report a rollback below it'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/verify"' -l since-epoch -x -d 'check entries from epoch N on (checkpoint signatures are always all checked)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/verify"' -l epoch -x -d 'epoch length for the clock rule (default: audit.epoch from config.yaml, else 15m)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/verify"' -l strict -d 'exit 1 (not 3) when the newest entries are not sealed yet'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/append"' -l type -x -d 'entry type, e.g. app.login (lowercase letters, digits, . _ : -)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/append"' -l actor -x -d 'who did it, as JSON (default: the OS user running agentsec)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/append"' -l data -x -d 'details as a JSON object (integers only; never a secret value)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/seal"' -l force -d 'seal even when nothing is due'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/log"' -l type -x -d 'only entries of this type'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/log"' -l since -x -d 'only entries at or after this time: a duration ago (24h) or a date'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/log"' -l until -x -d 'only entries at or before this time'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/log"' -l actor -x -d 'only entries whose actor contains this text'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/log"' -l limit -x -d 'only the newest N matching entries'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/log"' -s f -l follow -d 'keep printing new entries as JSON Lines until interrupted'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/export"' -l since-epoch -x -d 'only entries from epoch N on (all checkpoints are included)'
complete -c agentsec -n 'test (__agentsec_path) = "/audit/export"' -l output -r -F -d 'write to a file (atomically, mode 0600) instead of stdout'
complete -c agentsec -n 'test (__agentsec_path) = "/completion"' -a 'bash zsh fish'
