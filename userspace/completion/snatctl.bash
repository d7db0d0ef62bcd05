# SPDX-License-Identifier: GPL-2.0 OR MIT
# bash completion for snatctl(8)

_snatctl_netns()
{
	local f names=()

	for f in /run/netns/*; do
		[ -e "$f" ] && names+=("${f##*/}")
	done
	COMPREPLY=($(compgen -W "${names[*]}" -- "$cur"))
}

# The settings and the words each takes, from `snatctl set --help`
# ("  KEY SYNTAX" lines), so that snatctl stays their one home.
_snatctl_settings()
{
	snatctl set --help 2>/dev/null | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p'
}

_snatctl_set_value()
{
	local syntax
	syntax=$(snatctl set --help 2>/dev/null | sed -n "s/^  $1 \(.*\)/\1/p")
	COMPREPLY=($(compgen -W "$(tr '|' '\n' <<<"$syntax" | grep -v '[<>]')" -- "$cur"))
}

_snatctl()
{
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}
	local verbs="status enable disable set cidr explain apply show-config monitor log who agent help"
	local i verb= vi=0

	if [ "$prev" = -n ] || [ "$prev" = --netns ]; then
		_snatctl_netns
		return
	fi
	for ((i = 1; i < cword; i++)); do
		case "${words[i]}" in
		-n|--netns) ((i++)) ;;
		-*) ;;
		*) verb=${words[i]}; vi=$i; break ;;
		esac
	done
	if [ -z "$verb" ]; then
		if [[ "$cur" == -* ]]; then
			COMPREPLY=($(compgen -W "-j --json -n --netns -h --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$verbs" -- "$cur"))
		fi
		return
	fi

	case "$verb" in
	set)
		# set KEY VALUE [KEY VALUE]...: odd positions are keys.
		if (((cword - vi) % 2 == 1)); then
			COMPREPLY=($(compgen -W "$(_snatctl_settings)" -- "$cur"))
		else
			_snatctl_set_value "$prev"
		fi
		;;
	cidr)
		if ((cword == vi + 1)); then
			COMPREPLY=($(compgen -W "add del list flush replace" -- "$cur"))
		elif [ "${words[vi + 1]}" = add ] && ((cword == vi + 3)); then
			COMPREPLY=($(compgen -W "vpc exclude snat" -- "$cur"))
		elif [ "${words[vi + 1]}" = replace ]; then
			if [ "$prev" = -f ] || [ "$prev" = --file ]; then
				COMPREPLY=($(compgen -f -- "$cur"))
			else
				COMPREPLY=($(compgen -W "-f" -- "$cur"))
			fi
		elif [ "${words[vi + 1]}" = list ]; then
			COMPREPLY=($(compgen -W "-j --json" -- "$cur"))
		fi
		;;
	apply)
		case "$prev" in
		-f|--file) COMPREPLY=($(compgen -f -- "$cur")) ;;
		--snat-ip) COMPREPLY=($(compgen -W "auto imds" -- "$cur")) ;;
		--vpc-cidrs) COMPREPLY=($(compgen -W "imds" -- "$cur")) ;;
		--imds) COMPREPLY=() ;;
		--snat-ip6) COMPREPLY=($(compgen -W "auto imds" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "-f --check --print --imds --from-env --skip-invalid --vpc-cidrs --snat-ip --snat-ip6" -- "$cur")) ;;
		esac
		;;
	agent)
		case "$prev" in
		--config|--state|--metrics) COMPREPLY=($(compgen -f -- "$cur")) ;;
		--interval|--imds) COMPREPLY=() ;;
		*) COMPREPLY=($(compgen -W "--config --interval --imds --state --metrics" -- "$cur")) ;;
		esac
		;;
	status)
		case "$prev" in
		--state) COMPREPLY=($(compgen -f -- "$cur")) ;;
		*) [[ "$cur" == -* ]] && COMPREPLY=($(compgen -W "-j --json --check --state" -- "$cur")) ;;
		esac
		;;
	show-config|explain)
		[[ "$cur" == -* ]] && COMPREPLY=($(compgen -W "-j --json" -- "$cur"))
		;;
	monitor)
		case "$prev" in
		--ipam|--cni-results) COMPREPLY=($(compgen -f -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "-j --json --rcvbuf --ipam --cni-results" -- "$cur")) ;;
		esac
		;;
	log)
		case "$prev" in
		--file|--ipam|--cni-results) COMPREPLY=($(compgen -f -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "--file --max-size --keep --rcvbuf --ipam --cni-results" -- "$cur")) ;;
		esac
		;;
	who)
		case "$prev" in
		--proto) COMPREPLY=($(compgen -W "tcp udp udplite sctp dccp icmp icmpv6 gre" -- "$cur")) ;;
		--icmp-type)
			if [[ " ${COMP_WORDS[*]} " == *" icmpv6 "* ]]; then
				COMPREPLY=($(compgen -W "echo-request node-info-query" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "echo-request timestamp-request info-request address-mask-request" -- "$cur"))
			fi
			;;
		--log) COMPREPLY=($(compgen -f -- "$cur")) ;;
		*) [[ "$cur" == -* ]] && COMPREPLY=($(compgen -W "-j --json --proto --icmp-id --icmp-type --zone --at --log" -- "$cur")) ;;
		esac
		;;
	esac
}
complete -F _snatctl snatctl
