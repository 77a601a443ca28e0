# bash completion for heapflame(1). Installed as
# share/bash-completion/completions/heapflame by cmake --install.
#
# The options come from `heapflame --help` itself (so new options complete
# without editing this file), and so do the built-in themes (--colors,
# --theme: the names its help lists); -sample_index's values from
# `heapflame --list-types` on the first profile file of the command line.

_heapflame_options() {
	"$1" --help 2> /dev/null | sed -n 's/^  \(-[^ ].*\)$/\1/p' |
		sed 's/ [A-Z|%]*$//; s/  .*//' | tr ',' '\n' | sed 's/^ *//; s/ .*//' |
		grep -e '^-'
}

_heapflame_themes() {
	"$1" --help 2> /dev/null | sed -n 's/^  --colors PALETTE  *\([a-z0-9_ -]*\) (default.*/\1/p'
}

_heapflame() {
	local cur prev words cword
	if declare -F _init_completion > /dev/null; then
		_init_completion -n = || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	local cmd=${words[0]}
	command -v "$cmd" > /dev/null 2>&1 || cmd=heapflame

	# -opt=VALUE: complete the value of the option before '='.
	local opt=$prev value=$cur
	if [[ $cur == -*=* ]]; then
		opt=${cur%%=*}
		value=${cur#*=}
	elif [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_heapflame_options "$cmd")" -- "$cur"))
		return
	fi
	local prefix=
	[[ $cur == -*=* ]] && prefix=$opt=

	local choices=
	case ${opt#-} in
	-sample_index | sample_index)
		local w file=
		for w in "${words[@]:1}"; do
			if [[ $w != -* && -f $w ]]; then
				file=$w
				break
			fi
		done
		[[ -n $file ]] &&
			choices=$("$cmd" --list-types "$file" 2> /dev/null | awk '{split($2, a, "/"); print a[1]}')
		;;
	-colors | colors)
		choices=$(_heapflame_themes "$cmd")
		;;
	-theme | theme)
		choices=$(_heapflame_themes "$cmd")
		COMPREPLY=($(compgen -f -X '!*.theme' -- "$value"))
		;;
	-bgcolors | bgcolors) choices="yellow blue green grey" ;;
	-sort | sort) choices="name weight" ;;
	-format | format) choices="svg png pdf dot" ;;
	-o | -output | output | -base | base | -diff_base | diff_base)
		COMPREPLY=($(compgen -f -- "$value"))
		[[ -n $prefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
		return
		;;
	-nodecount | nodecount | -nodefraction | nodefraction | -edgefraction | edgefraction | \
		-focus | focus | -ignore | ignore | -hide | hide | -show | show | -show_from | show_from | \
		-prune_from | prune_from | -title | title | -subtitle | subtitle | -width | width | \
		-height | height | -seconds | seconds | -t | -timeout | timeout | -url | url | -u | \
		-suffix | suffix | -minwidth | minwidth | -max-frames | max-frames | -countname | countname)
		return # a value of the user's own
		;;
	*)
		[[ -n $prefix ]] && return
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	esac
	COMPREPLY+=($(compgen -W "$choices" -- "$value"))
	[[ -n $prefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
	return 0
}
complete -o filenames -o bashdefault -F _heapflame heapflame
