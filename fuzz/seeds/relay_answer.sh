#!/usr/bin/env bash
# Writes hand-made relay_frames inputs that open sockets and answer them, into DIR (default
# fuzz/corpus/relay_frames): accepted, refused for each allowed reason, answered by the wrong
# client or twice, answered after a time-out or after the initiator left, answered while the
# sink is full, then data past the rate and past the receiver's backlog. The fuzzer reaches
# these from any socket-opening input too (socket fields 1..16 name announced sockets, see
# targets/relay_frames.cpp); the seeds make the paths part of the replayed corpus by design.
# Usage: bash fuzz/seeds/relay_answer.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-fuzz/corpus/relay_frames}
mkdir -p "$dir"

# The input format (targets/relay_frames.cpp): an op byte (client | kind << 2), then its fields.
hex() { printf '%02x' "$@"; }
le16() { hex $(($1 & 255)) $(($1 >> 8 & 255)); }
le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16 & 65535)); }
frame() {  # client, frame id, body (hex)
  hex $(($1)) "$2"
  le16 $((${#3} / 2))
  printf '%s' "$3"
}
wait_ms() { hex $((3 << 2)) $(($1 / 10)); }  # time passes (10 ms units), then update
leave() { hex $((4 << 2 | $1)); }              # client leaves and comes back
toggle_full() { hex $((5 << 2)); }             # the sink fills up / drains, then update
first=$((0x64400001))                          # client c holds first + c
connect() { frame "$1" 0 "$(le32 "$3")$(le32 $((first + $2)))$(le16 80)"; }  # from, to, request
accept() { frame "$1" 1 "$(le32 "$2")"; }      # client, announced socket 1..16
refuse() { frame "$1" 2 "$(le32 "$2")$(hex "$3")"; }
data() { frame "$1" 3 "$(le32 "$2")$(printf '%0*d' $((2 * $3)) 0)"; }  # client, socket, bytes
close() { frame "$1" 4 "$(le32 "$2")"; }

seed() { printf '%s' "$2" | xxd -r -p >"$dir/answer-$1"; }

seed accepted "$(connect 1 0 7)$(accept 0 1)$(data 1 1 20)$(data 0 1 30)$(close 0 1)"
seed refused-denied "$(connect 1 0 7)$(refuse 0 1 2)"
seed refused-not-listening "$(connect 1 0 7)$(refuse 0 1 1)$(refuse 0 1 1)"
seed refused-bad-reason "$(connect 1 0 7)$(refuse 0 1 3)"
seed answered-by-others "$(connect 1 0 7)$(accept 2 1)$(accept 1 1)$(accept 0 1)$(accept 0 1)$(refuse 0 1 2)"
seed answered-late "$(connect 1 0 7)$(wait_ms 1000)$(accept 0 1)"
seed initiator-left "$(connect 1 0 7)$(leave 1)$(accept 0 1)"
seed target-left "$(connect 1 0 7)$(leave 0)$(accept 0 1)"
seed second-of-two "$(connect 1 0 7)$(connect 2 0 8)$(accept 0 2)$(refuse 0 1 2)$(data 2 2 9)"
seed answered-while-full "$(connect 1 0 7)$(toggle_full)$(accept 0 1)$(data 0 1 40)$(wait_ms 10)$(toggle_full)"
seed over-rate "$(connect 1 0 7)$(accept 0 1)$(data 1 1 1000)$(data 1 1 1000)$(data 1 1 1000)$(data 1 1 1000)$(data 1 1 1000)$(data 1 1 1000)$(wait_ms 2000)$(data 1 1 10)"
seed over-backlog "$(connect 1 0 7)$(accept 0 1)$(toggle_full)$(data 1 1 1000)$(data 1 1 1000)$(data 1 1 1000)$(wait_ms 500)$(data 1 1 1000)$(data 1 1 1000)"
echo "wrote 12 seeds to $dir"
