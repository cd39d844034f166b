# fish completion for agentsec — generated from the command tree by `npm run docs`; do not edit
function __agentsec_path
    set -l path ""
    for w in (commandline -opc)[2..-1]
        switch "$path/$w"
            case '/init' '/doctor' '/completion' '/help'
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
complete -c agentsec -n 'test (__agentsec_path) = ""' -a 'completion' -d 'print the shell completion script for bash, zsh or fish'
complete -c agentsec -n 'test (__agentsec_path) = ""' -a 'help' -d 'show help for a command, or a topic: exit-codes'
complete -c agentsec -n 'test (__agentsec_path) = "/completion"' -a 'bash zsh fish'
